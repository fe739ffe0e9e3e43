// The explain tab: pick two records and see why they are, or are not, the same person.

import {gql} from "./api.js";
import {chip, facts, fill, h, orDash, table} from "./dom.js";
import {probability} from "./graph.js";
import {errorBox} from "./notice.js";
import {EXPLAIN, EXPLAIN_CHOICES} from "./queries.js";

const RECORD_KEY = /^([^:\s]+):(.+)$/;

function option(key, label) {
  return h("option", {value: key}, label ? `${key} · ${label}` : key);
}

function groupsOf(identity) {
  const name = (i) => (i && i.profile.fullName ? i.profile.fullName.value : "");
  const own = identity.records.edges.map(({node}) => option(node.key, node.fullName));
  const others = [];
  const seen = new Set([identity.id]);
  const add = (title, other) => {
    if (!other || seen.has(other.id)) return;
    seen.add(other.id);
    others.push(h("optgroup", {label: `${title}: ${name(other) || other.id}`},
      other.records.edges.map(({node}) => option(node.key, ""))));
  };
  for (const member of identity.household ? identity.household.memberships : []) add("Household", member.identity);
  for (const {node} of identity.related.edges) add("Shares an identifier", node.identity);
  return {own, others};
}

function hop(step) {
  return [
    h("span", {}, h("code", {}, step.a), " ↔ ", h("code", {}, step.b)),
    step.kind,
    probability(step.probability),
    step.rules.join(", ") || "—",
    step.evidence.join(", ") || "—",
  ];
}

function verdict(result) {
  const direct = result.direct;
  return h(
    "div",
    {className: `verdict ${result.same ? "same" : "different"}`, id: "explain-result", dataset: {same: String(result.same)}},
    h("h3", {}, result.same ? "The same person" : "Not the same person"),
    h("p", {className: "reason", id: "explain-reason"}, result.reason),
    facts([
      ["Record A", h("span", {}, h("code", {}, result.a), ` in identity ${orDash(result.identityA)}`)],
      ["Record B", h("span", {}, h("code", {}, result.b), ` in identity ${orDash(result.identityB)}`)],
    ]),
    result.path.length
      ? table("The evidence chain joining them", ["Link", "Kind", "Probability", "Rules", "Evidence"], result.path.map(hop), "grid path")
      : null,
    direct
      ? h("section", {className: "direct", "aria-label": "Direct comparison"},
        h("h4", {}, "The model's direct comparison of the two"),
        facts([
          ["Match probability", h("strong", {}, probability(direct.probability))],
          ["Threshold", probability(direct.threshold)],
          ["Weight (log2 Bayes factor)", direct.weight.toFixed(2)],
          ["Vetoed by", orDash(direct.blockedBy)],
          ["Comparison levels", h("span", {className: "levels"}, direct.levels.map((l) => chip(l, l.endsWith("=null") ? "level null" : "level")))],
        ]))
      : h("p", {className: "hint"}, "The model never compared these two directly (no shared identifier or blocking key)."),
  );
}

function refOf(key) {
  const match = RECORD_KEY.exec(key.trim());
  return match ? {source: match[1], sourceId: match[2]} : null;
}

/** Render the explain form for identity `id` into `panel`. */
export async function renderExplain(panel, id, current) {
  const data = await gql(EXPLAIN_CHOICES, {id});
  if (!current()) return;
  const {own, others} = groupsOf(data.identity);
  const first = h("select", {id: "explain-a"}, own);
  const second = h("select", {id: "explain-b"}, h("optgroup", {label: "This customer"}, own.map((o) => o.cloneNode(true))), others);
  if (own.length > 1) second.selectedIndex = 1;
  else if (others.length) second.value = others[0].querySelector("option").value;
  const typed = h("input", {id: "explain-other", type: "text", placeholder: "source:id, e.g. crm:C000012", spellcheck: "false", autocomplete: "off"});
  const result = h("div", {id: "explain-output", "aria-live": "polite"});
  const form = h(
    "form",
    {className: "explain-form", id: "explain-form"},
    h("label", {for: "explain-a"}, "Record A (this customer)"),
    first,
    h("label", {for: "explain-b"}, "Record B"),
    second,
    h("label", {for: "explain-other"}, "…or any other record"),
    typed,
    h("button", {type: "submit"}, "Explain"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const a = refOf(first.value);
    const b = refOf(typed.value.trim() || second.value);
    if (!a || !b) {
      fill(result, h("p", {className: "error-box", role: "alert"}, "A record is written source:id, for example crm:C000012."));
      return;
    }
    fill(result, h("p", {className: "loading", role: "status"}, "Comparing… (the model looks at the whole population, which takes a moment)"));
    try {
      const answer = await gql(EXPLAIN, {a, b});
      if (current()) fill(result, verdict(answer.explain));
    } catch (error) {
      if (current()) fill(result, errorBox(error));
    }
  });
  fill(panel, h("div", {className: "card"}, h("h3", {}, "Explain two records"),
    h("p", {className: "hint"}, "Pick two records to see the chain of accepted links that joins them, or the model's score and what kept them apart."),
    form, result));
}
