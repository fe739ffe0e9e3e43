// Talking to the GraphQL API at /graphql of this same server, with the key of this tab.

import {apiKey} from "./session.js";

const ENDPOINT = "/graphql";

// What to do next, by the API's error code (extensions.code).
const ADVICE = {
  UNAUTHENTICATED: {
    title: "Not signed in",
    next: "Open “API key” at the top and paste a key. An admin creates one with " +
      "`c360 keys create NAME --role reader`.",
  },
  FORBIDDEN: {title: "Not allowed for your role", next: ""},
  GRAPH_UNAVAILABLE: {
    title: "The graph database is unavailable",
    next: "The server reconnects by itself: retry in a few seconds.",
  },
  TIMEOUT: {title: "The request took too long", next: "Retry, or narrow what you ask for."},
  RESOLUTION_BUSY: {title: "A resolution run is in progress", next: "Retry in a moment."},
  NETWORK: {
    title: "The server cannot be reached",
    next: "Is `c360 serve` still running? Retry when it is.",
  },
};

/** An error the API answered (or the network failure that kept it from answering). */
export class ApiError extends Error {
  constructor(message, code, status, path = null) {
    super(message);
    this.code = code || "UNKNOWN";
    this.status = status;
    this.path = path;
  }

  /** A title and a sentence for people: what went wrong, what to do next. */
  get advice() {
    const known = ADVICE[this.code] || {title: "The request failed", next: ""};
    const status = this.status && this.status !== 200 ? ` (HTTP ${this.status})` : "";
    return {title: `${known.title}${status}`, detail: this.message, next: known.next};
  }

  /** True when retrying later may help. */
  get retryable() {
    return ["GRAPH_UNAVAILABLE", "TIMEOUT", "RESOLUTION_BUSY", "NETWORK"].includes(this.code);
  }
}

/**
 * Run a query or mutation; resolves to {data, errors} where errors are ApiErrors at a path
 * (a partial answer). Rejects with an ApiError when there is no data at all.
 */
export async function request(query, variables = {}) {
  const headers = {"Content-Type": "application/json", Accept: "application/json"};
  const key = apiKey();
  if (key) headers.Authorization = `Bearer ${key}`;
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers,
      body: JSON.stringify({query, variables}),
      credentials: "omit",
      cache: "no-store",
    });
  } catch (failure) {
    throw new ApiError(String(failure.message || failure), "NETWORK", 0);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`the server answered ${response.status} without JSON`, "UNKNOWN", response.status);
  }
  const errors = (body.errors || []).map(
    (e) => new ApiError(e.message, (e.extensions || {}).code, response.status, e.path || null),
  );
  if (!body.data || (errors.length && errors.every((e) => !e.path))) {
    throw errors[0] || new ApiError("the server sent no data", "UNKNOWN", response.status);
  }
  return {data: body.data, errors};
}

/** Run a query or mutation; its data, or a rejection with the first error. */
export async function gql(query, variables = {}) {
  const {data, errors} = await request(query, variables);
  if (errors.length) throw errors[0];
  return data;
}
