// Fraud rings (analyst role or above): the list, and each ring drawn as a graph of its member
// identities and the identifiers (hubs) that tie them.

import {gql} from "./api.js";
import {draw, legend} from "./cyto.js";
import {chip, facts, fill, h, loading, orDash, percent, table, day} from "./dom.js";
import {errorBox} from "./notice.js";
import {RINGS, RING_OF_IDENTITY} from "./queries.js";
import {can} from "./session.js";

const PAGE = 10;
let token = 0;

function memberName(member) {
  return member.profile.fullName ? member.profile.fullName.value : member.id;
}

function elements(ring) {
  const nodes = [];
  const edges = [];
  ring.evidence.forEach((evidence, index) => {
    nodes.push({group: "nodes", classes: `${evidence.kind} hub`, data: {
      id: `e:${index}`, kind: "evidence", evidence,
      label: `${evidence.kind} ${evidence.value}\nshared by ${evidence.identities}`,
    }});
  });
  for (const {node: member} of ring.members.edges) {
    nodes.push({group: "nodes", classes: "member", data: {id: `m:${member.id}`, kind: "member", member, label: memberName(member)}});
    ring.evidence.forEach((evidence, index) => {
      if (member.identifiers.some((i) => i.kind === evidence.kind && i.value === evidence.value)) {
        edges.push({group: "edges", classes: "uses", data: {id: `u:${member.id}:${index}`, source: `m:${member.id}`, target: `e:${index}`, kind: "uses"}});
      }
    });
  }
  return [...nodes, ...edges];
}

function describe(element) {
  const data = element.data();
  if (data.kind === "member") {
    const member = data.member;
    return h("div", {className: "details-body", dataset: {kind: "member"}},
      h("h4", {}, "Member identity"),
      facts([
        ["Name", memberName(member)],
        ["Identity", h("code", {}, member.id)],
        ["Records", String(member.recordCount)],
        ["Identifiers", member.identifiers.map((i) => `${i.kind} ${i.value}`).join(", ") || "—"],
      ]),
      h("a", {href: `#/identity/${encodeURIComponent(member.id)}/profile`}, "Open this customer"));
  }
  const evidence = data.evidence;
  const users = element.connectedEdges().length;
  return h("div", {className: "details-body", dataset: {kind: "evidence"}},
    h("h4", {}, `Shared ${evidence.kind} (hub)`),
    facts([
      ["Value", evidence.value],
      ["Detail", orDash(evidence.detail)],
      ["Members using it", String(evidence.identities)],
      ["Drawn links", users ? String(users) : "the members' own lists do not show this kind"],
    ]));
}

/** A ring's facts, graph and members, rendered into `into`. */
export async function renderRing(into, ring, current) {
  const container = h("div", {className: "graph", id: "ring-graph", role: "img",
    "aria-label": "Fraud ring graph: member identities and the identifiers they share"});
  const details = h("aside", {className: "details", id: "ring-details", "aria-live": "polite"});
  fill(into, h("div", {className: "card ring", dataset: {ring: ring.id}},
    h("h3", {}, `Fraud ring ${ring.id}`),
    h("p", {className: "reason", id: "ring-reason"}, orDash(ring.reason)),
    facts([
      ["Score", h("strong", {}, ring.score.toFixed(2))],
      ["Parts", `density ${percent(ring.density)} · velocity ${percent(ring.velocity)} · large orders ${percent(ring.largeOrderShare)}`],
      ["Members", String(ring.size)],
      ["Accounts opened within", ring.openedWithinDays === null ? "—" : `${ring.openedWithinDays.toFixed(1)} days`],
      ["Large orders soon after opening", orDash(ring.largeOrders)],
      ["Shared kinds", h("span", {}, ring.evidenceKinds.map((k) => chip(k, "evidence")))],
      ["Found", `${day(ring.createdAt)}, confirmed ${day(ring.updatedAt)}`],
    ]),
    legend([["member", "member identity"], ["device", "device"], ["phone", "phone"], ["address", "address"], ["hub", "shared identifier (hub)"]]),
    h("div", {className: "graph-area"}, container, details)));
  try {
    await draw(container, details, elements(ring), [["[kind = 'evidence']", 230], ["[kind = 'member']", 150]], describe,
      "Hover or click a member or a shared identifier.");
  } catch (error) {
    if (current()) fill(container, errorBox(error));
  }
}

/** The fraud ring tab of identity `id`. */
export async function renderRingOfIdentity(panel, id, current) {
  const data = await gql(RING_OF_IDENTITY, {id});
  if (!current()) return;
  const ring = data.identity && data.identity.fraudRing;
  if (!ring) {
    fill(panel, h("p", {className: "empty"}, "This customer is not in a fraud ring."));
    return;
  }
  await renderRing(panel, ring, current);
}

function ringRow(ring) {
  return [
    h("a", {href: `#/rings/${encodeURIComponent(ring.id)}`, className: "ring-link"}, ring.score.toFixed(2)),
    String(ring.size),
    ring.evidenceKinds.join(", "),
    orDash(ring.reason),
  ];
}

/** The fraud rings view: a page of rings, and the one asked for (`ringId`) drawn below. */
export async function showRings(main, ringId) {
  const mine = ++token;
  const current = () => mine === token;
  const list = h("div", {id: "ring-list"}, loading("Loading fraud rings"));
  const detail = h("div", {id: "ring-detail"});
  fill(main, h("section", {className: "rings"},
    h("h1", {}, "Fraud rings"),
    h("p", {className: "hint"}, "Identities tied by shared devices, phones or addresses beyond any household, ",
      "scored by ", h("code", {}, "c360 analyze fraud"), ". Fraud review needs the analyst role."),
    !can("analyst") ? h("p", {className: "masked-note"}, "Your key's role does not include fraud review: the API will refuse.") : null,
    list, detail));
  const pages = [null];
  let page = 0;
  async function load() {
    let data;
    try {
      data = await gql(RINGS, {first: PAGE, after: pages[page]});
    } catch (error) {
      if (current()) fill(list, errorBox(error, load));
      return [];
    }
    if (!current()) return [];
    const {edges, pageInfo} = data.fraudRings;
    pages[page + 1] = pageInfo.hasNextPage ? pageInfo.endCursor : undefined;
    const previous = h("button", {type: "button", disabled: page === 0, onClick: () => { page -= 1; load(); }}, "‹ Previous");
    const next = h("button", {type: "button", disabled: !pageInfo.hasNextPage, onClick: () => { page += 1; load(); }}, "Next ›");
    fill(list, edges.length
      ? table(`Rings, highest score first (page ${page + 1})`, ["Score", "Members", "Shared", "Why"], edges.map(({node}) => ringRow(node)), "grid rings-table")
      : h("p", {className: "empty"}, "No fraud rings found (has ", h("code", {}, "c360 analyze fraud"), " run?)."),
    h("nav", {className: "pager", "aria-label": "Ring pages"}, previous, next));
    return edges.map(({node}) => node);
  }
  let rings = await load();
  if (!ringId || !current()) return;
  let found = rings.find((r) => r.id === ringId);
  for (let tries = 0; !found && pages[page + 1] && tries < 20 && current(); tries++) {
    page += 1;
    rings = await load();
    found = rings.find((r) => r.id === ringId);
  }
  if (!current()) return;
  if (found) await renderRing(detail, found, current);
  else fill(detail, h("p", {className: "empty"}, `No fraud ring ${ringId} (it may have been re-scored away).`));
}
