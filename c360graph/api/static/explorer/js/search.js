// Search as you type: by name (fuzzy), email or phone, one page at a time.

import {gql} from "./api.js";
import {SEARCH} from "./queries.js";
import {chip, fill, h} from "./dom.js";
import {showError} from "./notice.js";
import {isAgent} from "./session.js";

const DEBOUNCE_MS = 250;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/;
const PHONE = /^\+?[\d\s().-]+$/;

const state = {criteria: null, cursors: [null], page: 0, timer: 0, asked: 0};
const $ = (id) => document.getElementById(id);

/** What the text searches by, or a hint about what to type: {criteria} or {hint}. */
export function criteriaOf(text) {
  const value = text.trim();
  if (!value) return {hint: "Results appear as you type."};
  if (value.includes("@")) {
    return EMAIL.test(value)
      ? {criteria: {email: value}, label: "email"}
      : {hint: "Searching by email: type the whole address."};
  }
  if (PHONE.test(value)) {
    const digits = value.replace(/\D/g, "").length;
    return digits >= 7
      ? {criteria: {phone: value}, label: "phone"}
      : {hint: "Searching by phone: type at least 7 digits."};
  }
  if (isAgent()) return {hint: "An agent key finds a caller by their phone number or email."};
  const words = value.split(/\s+/).filter((w) => w.replace(/[^\p{L}]/gu, "").length >= 2);
  return words.length
    ? {criteria: {name: value}, label: "name (fuzzy: typos and word order forgiven)"}
    : {hint: "Type at least two letters of a name."};
}

function pageSize() {
  return Number($("search-size").value) || 10;
}

function resultItem(edge) {
  const {score, identity} = edge.node;
  const profile = identity.profile || {};
  const name = (profile.fullName && profile.fullName.value) || "(no name)";
  const contact = [profile.email, profile.phone].filter(Boolean).map((v) => v.value).join(" · ");
  const place = profile.address ? [profile.address.city, profile.address.country].filter(Boolean).join(", ") : "";
  return h(
    "li",
    {},
    h(
      "a",
      {href: `#/identity/${encodeURIComponent(identity.id)}/profile`, className: "hit", dataset: {id: identity.id}},
      h("span", {className: "hit-name"}, name),
      chip(`${Math.round(score * 100)}%`, "score"),
      h("span", {className: "hit-detail"}, contact || "no email or phone"),
      h(
        "span",
        {className: "hit-detail"},
        `${identity.recordCount} record${identity.recordCount === 1 ? "" : "s"}: ${identity.sources.join(", ")}`,
        place ? ` · ${place}` : "",
      ),
    ),
  );
}

async function run() {
  const asked = ++state.asked;
  const after = state.cursors[state.page];
  $("search-results").setAttribute("aria-busy", "true");
  try {
    const data = await gql(SEARCH, {...state.criteria, first: pageSize(), after});
    if (asked !== state.asked) return; // a newer search was typed meanwhile
    const {edges, pageInfo} = data.searchIdentities;
    state.cursors[state.page + 1] = pageInfo.hasNextPage ? pageInfo.endCursor : undefined;
    fill($("search-results"), edges.map(resultItem));
    if (!edges.length) fill($("search-results"), h("li", {className: "empty"}, "No customer matches."));
    $("search-prev").disabled = state.page === 0;
    $("search-next").disabled = !pageInfo.hasNextPage;
    $("search-page").textContent = edges.length || state.page ? `Page ${state.page + 1}` : "";
  } catch (error) {
    if (asked !== state.asked) return;
    fill($("search-results"));
    if (error.code === "BAD_USER_INPUT") $("search-hint").textContent = error.message;
    else showError(error, run);
  } finally {
    if (asked === state.asked) $("search-results").removeAttribute("aria-busy");
  }
}

function reset() {
  state.cursors = [null];
  state.page = 0;
  $("search-prev").disabled = true;
  $("search-next").disabled = true;
  $("search-page").textContent = "";
}

function typed() {
  clearTimeout(state.timer);
  const {criteria, hint, label} = criteriaOf($("search-input").value);
  reset();
  if (!criteria) {
    state.criteria = null;
    state.asked++;
    $("search-hint").textContent = hint;
    fill($("search-results"));
    return;
  }
  $("search-hint").textContent = `Searching by ${label}.`;
  state.criteria = criteria;
  state.timer = setTimeout(run, DEBOUNCE_MS);
}

/** Wire the search panel (once, at start). */
export function initSearch() {
  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    if (state.criteria) {
      clearTimeout(state.timer);
      run();
    }
  });
  $("search-input").addEventListener("input", typed);
  $("search-size").addEventListener("change", typed);
  $("search-next").addEventListener("click", () => {
    if (state.cursors[state.page + 1] === undefined) return;
    state.page += 1;
    run();
  });
  $("search-prev").addEventListener("click", () => {
    if (state.page === 0) return;
    state.page -= 1;
    run();
  });
}

/** Search again (the key or role changed). */
export function refreshSearch() {
  if (state.criteria) run();
}
