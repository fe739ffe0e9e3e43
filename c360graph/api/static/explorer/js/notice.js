// The page-wide notice: an API error in words, with what to do next and, when useful, Retry.

import {ApiError} from "./api.js";

const box = () => document.getElementById("notice");
let retryAction = null;

/** Show an error (an ApiError or any Error); `retry` is called by the Retry button. */
export function showError(error, retry = null) {
  const text = document.getElementById("notice-text");
  if (error instanceof ApiError) {
    const {title, detail, next} = error.advice;
    text.textContent = [`${title}: ${detail}`, next].filter(Boolean).join(" ");
    box().dataset.code = error.code;
    retryAction = error.retryable ? retry : null;
  } else {
    text.textContent = `Something went wrong in the page: ${error && error.message ? error.message : error}`;
    box().dataset.code = "PAGE";
    retryAction = null;
  }
  document.getElementById("notice-retry").hidden = !retryAction;
  box().hidden = false;
}

/** Hide the notice. */
export function hideNotice() {
  box().hidden = true;
  retryAction = null;
}

/** Wire the notice's buttons (once, at start). */
export function initNotice() {
  document.getElementById("notice-close").addEventListener("click", hideNotice);
  document.getElementById("notice-retry").addEventListener("click", () => {
    const action = retryAction;
    hideNotice();
    if (action) action();
  });
}

/** An inline error for a panel: what went wrong, what to do next, and Retry when it may help. */
export function errorBox(error, retry = null) {
  const box = document.createElement("div");
  box.className = "error-box";
  box.setAttribute("role", "alert");
  const text = document.createElement("p");
  if (error instanceof ApiError) {
    const {title, detail, next} = error.advice;
    text.textContent = [`${title}: ${detail}`, next].filter(Boolean).join(" ");
    box.dataset.code = error.code;
  } else {
    text.textContent = `Something went wrong in the page: ${error && error.message ? error.message : error}`;
  }
  box.append(text);
  if (retry && (!(error instanceof ApiError) || error.retryable)) {
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = "Retry";
    button.addEventListener("click", retry);
    box.append(button);
  }
  return box;
}
