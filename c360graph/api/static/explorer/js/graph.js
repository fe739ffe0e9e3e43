// The identity graph tab: the identity's records, the identifiers they use, the accepted links
// between records (with evidence and score), and other identities sharing an identifier.

import {gql} from "./api.js";
import {legend, draw} from "./cyto.js";
import {chip, facts, fill, h, orDash, percent, table} from "./dom.js";
import {errorBox} from "./notice.js";
import {IDENTITY_GRAPH} from "./queries.js";

const KIND_WORDS = {
  rule: "rule: a deterministic rule proposed it (same email, phone, device...), the model scored it",
  fuzzy: "fuzzy: similar names, places or dates proposed it, the model scored it",
  must: "must: an analyst asserted they are the same person",
};

/** "99.994%" for a probability, precise near 1. */
export function probability(p) {
  return p >= 0.999 && p < 1 ? percent(p, 3) : percent(p, 1);
}

function elements(identity) {
  const nodes = [];
  const edges = [];
  const records = new Set();
  for (const {node} of identity.records.edges) {
    records.add(node.key);
    nodes.push({group: "nodes", classes: "record", data: {
      id: `r:${node.key}`, kind: "record", label: `${node.key}\n${node.fullName || ""}`.trim(), record: node,
    }});
  }
  identity.identifiers.forEach((identifier, index) => {
    const id = `x:${index}`;
    nodes.push({group: "nodes", classes: `${identifier.kind}${identifier.shared ? " hub" : ""}`, data: {
      id, kind: "identifier", identifier,
      label: `${identifier.value}${identifier.shared ? "\n⚠ shared hub" : ""}`,
    }});
    for (const key of identifier.records) {
      if (records.has(key)) edges.push({group: "edges", classes: "uses", data: {id: `u:${index}:${key}`, source: `r:${key}`, target: id, kind: "uses"}});
    }
  });
  identity.links.forEach((link, index) => {
    if (!records.has(link.a) || !records.has(link.b)) return;
    edges.push({group: "edges", classes: `link ${link.kind}`, data: {
      id: `l:${index}`, source: `r:${link.a}`, target: `r:${link.b}`, kind: "link",
      probability: link.probability, label: probability(link.probability), link,
    }});
  });
  for (const {node} of identity.related.edges) {
    const id = `i:${node.identityId}`;
    const name = node.identity && node.identity.profile.fullName ? node.identity.profile.fullName.value : node.identityId;
    nodes.push({group: "nodes", classes: "related", data: {id, kind: "related", label: `other customer\n${name}`, related: node, name}});
    identity.identifiers.forEach((identifier, index) => {
      if (node.reasons.some((r) => r.kind === identifier.kind && r.value === identifier.value)) {
        edges.push({group: "edges", classes: "shares", data: {id: `s:${index}:${node.identityId}`, source: id, target: `x:${index}`, kind: "shares"}});
      }
    });
  }
  return [...nodes, ...edges];
}

const RINGS = [["[kind = 'record']", 160], ["[kind = 'identifier']", 130], ["[kind = 'related']", 130]];

function describe(element) {
  const data = element.data();
  if (data.kind === "link") {
    const link = data.link;
    return h("div", {className: "details-body", dataset: {kind: "link"}},
      h("h4", {}, "Link between two records"),
      facts([
        ["Records", h("span", {}, h("code", {}, link.a), " ↔ ", h("code", {}, link.b))],
        ["Match probability", h("strong", {id: "link-probability"}, probability(link.probability))],
        ["Kind", KIND_WORDS[link.kind] || link.kind],
        ["Rules that fired", link.rules.length ? link.rules.join(", ") : "none (found by blocking)"],
        ["Evidence", link.evidence.length ? h("span", {id: "link-evidence"}, link.evidence.map((e) => chip(e, "evidence"))) : "—"],
        ["Comparison levels", h("span", {className: "levels"}, link.levels.filter((l) => !l.endsWith("=null")).map((l) => chip(l, "level")))],
      ]));
  }
  if (data.kind === "record") {
    const record = data.record;
    return h("div", {className: "details-body", dataset: {kind: "record"}},
      h("h4", {}, "Source record"),
      facts([
        ["Record", h("code", {}, record.key)],
        ["Name", orDash(record.fullName)],
        ["Emails", record.emails.join(", ") || "—"],
        ["Phones", record.phones.join(", ") || "—"],
        ["City", orDash(record.city)],
        ["Links", String(element.connectedEdges(".link").length)],
      ]));
  }
  if (data.kind === "identifier") {
    const identifier = data.identifier;
    return h("div", {className: "details-body", dataset: {kind: "identifier"}},
      h("h4", {}, `Identifier: ${identifier.kind}`),
      facts([
        ["Value", identifier.value],
        ["Detail", orDash(identifier.detail)],
        ["Used by", identifier.records.join(", ")],
        ["Shared hub", identifier.shared
          ? "yes: used by too many records or names (a placeholder, a shop phone, a kiosk), so ignored when linking"
          : "no"],
      ]));
  }
  if (data.kind === "related") {
    const related = data.related;
    return h("div", {className: "details-body", dataset: {kind: "related"}},
      h("h4", {}, "Another customer"),
      facts([
        ["Name", data.name],
        ["Shares", related.reasons.map((r) => `${r.kind} ${r.value}`).join(", ")],
      ]),
      h("a", {href: `#/identity/${encodeURIComponent(related.identityId)}/graph`}, "Open this customer's graph"));
  }
  return h("p", {}, data.kind);
}

function linksTable(identity, select) {
  const rows = identity.links.map((link, index) => [
    h("button", {type: "button", className: "linklike", onClick: () => select(`l:${index}`)}, `${link.a} ↔ ${link.b}`),
    link.kind,
    probability(link.probability),
    link.evidence.join(", ") || "—",
  ]);
  return rows.length
    ? table(`Links (${rows.length}), strongest first`, ["Records", "Kind", "Probability", "Evidence"], rows, "grid links")
    : h("p", {className: "hint"}, "A single record: no links.");
}

/** Render identity `id`'s graph into `panel`. */
export async function renderIdentityGraph(panel, id, current) {
  const data = await gql(IDENTITY_GRAPH, {id});
  if (!current()) return;
  const identity = data.identity;
  const container = h("div", {className: "graph", id: "identity-graph", role: "img",
    "aria-label": "Identity graph: records, identifiers, links and related customers"});
  const details = h("aside", {className: "details", id: "graph-details", "aria-live": "polite"});
  const hubs = identity.identifiers.filter((i) => i.shared).length;
  let cy = null;
  const select = (edgeId) => {
    if (!cy) return;
    cy.$(":selected").unselect();
    cy.$id(edgeId).select();
  };
  fill(panel, h("div", {className: "card"},
    h("h3", {}, "Identity graph"),
    h("p", {className: "hint"},
      `${identity.records.edges.length} records, ${identity.identifiers.length} identifiers, ${identity.links.length} accepted links`,
      hubs ? `, ${hubs} shared hub${hubs === 1 ? "" : "s"} (red double border)` : "",
      identity.related.edges.length
        ? `, ${identity.related.edges.length} other customer${identity.related.edges.length === 1 ? "" : "s"} sharing an identifier`
        : "",
      ". Hover or click a link or node for its details; scroll to zoom, drag to pan."),
    legend([["record", "record"], ["email", "email"], ["phone", "phone"], ["device", "device"],
      ["address", "address"], ["hub", "shared hub"], ["link", "link (width: probability)"], ["related", "other customer"]]),
    h("div", {className: "graph-area"}, container, details),
    linksTable(identity, select)));
  try {
    cy = await draw(container, details, elements(identity), RINGS, describe,
      "Hover or click a link (blue line) to see its evidence and score.");
  } catch (error) {
    if (current()) fill(container, errorBox(error));
  }
}
