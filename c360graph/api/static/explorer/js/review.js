// The review queue (analyst role or above): pairs the last resolution runs scored just under
// the match threshold, or a guard vetoed, each beside the model's evidence, to accept (the same
// person: a must-link) or reject (different people: a cannot-link).

import {gql} from "./api.js";
import {chip, facts, fill, h, loading, orDash, when} from "./dom.js";
import {probability} from "./graph.js";
import {errorBox} from "./notice.js";
import {DECIDE_REVIEW_PAIR, REVIEW_QUEUE} from "./queries.js";
import {can} from "./session.js";

const PAGE = 10;
let token = 0;

const REASONS = {
  BELOW_THRESHOLD: "just under the match threshold",
  VETOED: "above the threshold, but a guard vetoed the link",
};

function refOf(key) {
  const cut = key.indexOf(":");
  return {source: key.slice(0, cut), sourceId: key.slice(cut + 1)};
}

function record(title, rec) {
  return h("div", {className: "review-record"},
    h("h4", {}, title, " ", h("code", {}, rec.key)),
    facts([
      ["Name", h("strong", {}, orDash(rec.fullName))],
      ["Source", rec.source],
      ["Born", orDash(rec.dateOfBirth)],
      ["Email", rec.emails.join(", ") || "—"],
      ["Phone", rec.phones.join(", ") || "—"],
      ["Address", [rec.addressLine1, rec.city].filter(Boolean).join(", ") || "—"],
    ]));
}

// The match weight built up from the prior, field by field (log2 Bayes factors).
function waterfall(comparison) {
  const fields = comparison.fieldWeights.filter((f) => f.level !== "null");
  const prior = comparison.weight - comparison.fieldWeights.reduce((sum, f) => sum + f.weight, 0);
  let total = prior;
  const rows = [["prior (two random records)", "", prior, total]];
  for (const f of fields) {
    total += f.weight;
    rows.push([f.field, f.level, f.weight, total]);
  }
  const signed = (w) => `${w >= 0 ? "+" : ""}${w.toFixed(2)}`;
  return h("table", {className: "grid waterfall"},
    h("caption", {}, "Why: the match weight, field by field"),
    h("thead", {}, h("tr", {}, ["Field", "Level", "Weight", "Running total"].map((t) => h("th", {scope: "col"}, t)))),
    h("tbody", {}, rows.map(([field, level, weight, running]) => h("tr", {dataset: {field}},
      h("td", {}, field), h("td", {}, level ? chip(level, "level") : ""),
      h("td", {className: `num ${weight >= 0 ? "for" : "against"}`}, signed(weight)),
      h("td", {className: "num"}, signed(running))))));
}

function pairCard(node, onDecided) {
  const {a, b, comparison} = node;
  const note = h("input", {type: "text", className: "review-note", placeholder: "Why (kept with the decision)", "aria-label": `Note on ${a.key} and ${b.key}`});
  const status = h("p", {className: "review-status", "aria-live": "polite"});
  const decide = async (decision, buttons) => {
    for (const button of buttons) button.disabled = true;
    fill(status, loading(decision === "ACCEPT" ? "Linking them" : "Keeping them apart"));
    try {
      await gql(DECIDE_REVIEW_PAIR, {a: refOf(a.key), b: refOf(b.key), decision, note: note.value.trim() || null});
      onDecided(node, decision);
    } catch (error) {
      fill(status, errorBox(error));
      for (const button of buttons) button.disabled = false;
    }
  };
  const accept = h("button", {type: "button", className: "accept"}, "Accept: same person");
  const reject = h("button", {type: "button", className: "reject"}, "Reject: different people");
  accept.addEventListener("click", () => decide("ACCEPT", [accept, reject]));
  reject.addEventListener("click", () => decide("REJECT", [accept, reject]));
  return h("article", {className: "card review-pair", dataset: {a: a.key, b: b.key}},
    h("h3", {}, h("strong", {}, probability(node.probability)), " · ", REASONS[node.reason] || node.reason,
      comparison.blockedBy ? chip(`vetoed by ${comparison.blockedBy}`, "veto") : null),
    h("div", {className: "review-records"}, record("Record A", a), record("Record B", b)),
    waterfall(comparison),
    h("p", {className: "hint"}, `Threshold ${probability(comparison.threshold)}; queued by run `,
      h("code", {}, node.runId), ` at ${when(node.queuedAt)}.`),
    h("div", {className: "review-actions"}, note, accept, reject),
    status);
}

/** The review view: a page of the queue, nearest the threshold first. */
export async function showReview(main) {
  const mine = ++token;
  const current = () => mine === token;
  const list = h("div", {id: "review-list"}, loading("Loading the review queue"));
  const done = h("p", {id: "review-done", className: "hint", "aria-live": "polite"});
  fill(main, h("section", {className: "review"},
    h("h1", {}, "Review queue"),
    h("p", {className: "hint"}, "Pairs of records the matching model scored just under the threshold, or linked but a ",
      "guard vetoed. Accept records an analyst's must-link, reject a cannot-link: every later ",
      "resolution run honours it, and the model is checked against it (",
      h("code", {}, "c360 model show"), "). Reviewing needs the analyst role."),
    !can("analyst") ? h("p", {className: "masked-note"}, "Your key's role does not include reviewing: the API will refuse.") : null,
    done, list));
  const pages = [null];
  let page = 0;
  const onDecided = (node, decision) => {
    const verb = decision === "ACCEPT" ? "accepted as one person" : "rejected as two people";
    fill(done, `${node.a.key} and ${node.b.key} ${verb}.`);
    const card = list.querySelector(`article.review-pair[data-a="${CSS.escape(node.a.key)}"][data-b="${CSS.escape(node.b.key)}"]`);
    if (card) card.remove();
    if (!list.querySelector("article.review-pair")) load();
  };
  async function load() {
    let data;
    try {
      data = await gql(REVIEW_QUEUE, {first: PAGE, after: pages[page]});
    } catch (error) {
      if (current()) fill(list, errorBox(error, load));
      return;
    }
    if (!current()) return;
    const {edges, pageInfo} = data.reviewQueue;
    pages[page + 1] = pageInfo.hasNextPage ? pageInfo.endCursor : undefined;
    const previous = h("button", {type: "button", disabled: page === 0, onClick: () => { page -= 1; load(); }}, "‹ Previous");
    const next = h("button", {type: "button", disabled: !pageInfo.hasNextPage, onClick: () => { page += 1; load(); }}, "Next ›");
    fill(list, edges.length
      ? edges.map(({node}) => pairCard(node, onDecided))
      : h("p", {className: "empty"}, "Nothing to review: no pair is near the threshold (has ", h("code", {}, "c360 resolve"), " run?)."),
    h("nav", {className: "pager", "aria-label": "Review queue pages"}, previous, next));
    list.dataset.page = String(page + 1);
  }
  await load();
}
