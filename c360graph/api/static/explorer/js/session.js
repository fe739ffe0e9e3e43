// Who is using the page: the API key of this tab (sessionStorage) and the role it has.

const STORAGE_KEY = "c360.apiKey";
const RANK = {reader: 1, analyst: 2, admin: 3}; // an agent ranks apart: it may look up only

let viewer = null; // {name, role} once the API said, else null
const listeners = new Set();

/** The API key of this tab, or "" (none: fine in `c360 serve --dev`). */
export function apiKey() {
  return sessionStorage.getItem(STORAGE_KEY) || "";
}

/** Keep a key for this tab (an empty one forgets it). */
export function setApiKey(key) {
  const value = (key || "").trim();
  if (value) sessionStorage.setItem(STORAGE_KEY, value);
  else sessionStorage.removeItem(STORAGE_KEY);
}

/** The caller as the API knows it, or null before it answered (or without a valid key). */
export function currentViewer() {
  return viewer;
}

/** Record the caller and tell whoever listens (the header, open views). */
export function setViewer(value) {
  viewer = value;
  for (const listener of listeners) listener(viewer);
}

/** Call `listener(viewer)` whenever the caller changes. */
export function onViewer(listener) {
  listeners.add(listener);
}

/** True when the caller's role is at least `role` (reader < analyst < admin). */
export function can(role) {
  return Boolean(viewer) && (RANK[viewer.role] || 0) >= RANK[role];
}

/** True when the API masks personal data for this caller. */
export function masked() {
  return Boolean(viewer) && !can("analyst");
}

/** True for a service agent's key: one caller at a time, their email and phone shown. */
export function isAgent() {
  return Boolean(viewer) && viewer.role === "agent";
}
