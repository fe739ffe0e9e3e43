// One customer: a header (name, sources, segment, household, ring) and tabs for its views.

import {request} from "./api.js";
import {chip, fill, h, loading} from "./dom.js";
import {renderExplain} from "./explain.js";
import {renderIdentityGraph} from "./graph.js";
import {errorBox} from "./notice.js";
import {renderProfile} from "./profile.js";
import {HEADER, RING_OF} from "./queries.js";
import {renderRingOfIdentity} from "./rings.js";
import {can, isAgent, masked} from "./session.js";
import {renderTimeline} from "./timeline.js";

const TABS = [
  ["profile", "Profile", renderProfile],
  ["timeline", "Timeline", renderTimeline],
  ["graph", "Identity graph", renderIdentityGraph],
  ["explain", "Explain", renderExplain],
  ["ring", "Fraud ring", renderRingOfIdentity],
];

// Views an agent's key may not open: the identity graph and explanations span other people.
const NOT_FOR_AGENTS = new Set(["graph", "explain", "ring"]);

let shown = {id: null, ring: null, view: null};
let token = 0;

function tabLink(id, name, label, selected) {
  return h(
    "a",
    {
      role: "tab",
      href: `#/identity/${encodeURIComponent(id)}/${name}`,
      "aria-selected": String(selected),
      "aria-controls": "panel",
      id: `tab-${name}`,
      className: "tab",
    },
    label,
  );
}

function head(identity, ring) {
  const profile = identity.profile || {};
  const name = (profile.fullName && profile.fullName.value) || "(no name)";
  return h(
    "header",
    {className: "identity-head"},
    h("h1", {id: "identity-name"}, name),
    h(
      "p",
      {className: "identity-meta"},
      h("code", {title: "identity id"}, identity.id),
      chip(`${identity.recordCount} record${identity.recordCount === 1 ? "" : "s"}`),
      identity.sources.map((source) => chip(source, "source")),
      identity.segment ? chip(`segment: ${identity.segment.name}`, "segment") : null,
      identity.household ? chip(`household of ${identity.household.size}`, "household") : null,
      ring ? h("a", {href: `#/identity/${encodeURIComponent(identity.id)}/ring`, className: "chip ring"},
        `fraud ring · score ${ring.score.toFixed(2)}`) : null,
    ),
    identity.redirectedFrom
      ? h("p", {className: "hint"}, `Id ${identity.redirectedFrom} was merged into this identity.`)
      : null,
    isAgent()
      ? h("p", {className: "masked-note"}, "As an agent you see this caller's email and phone; "
        + "the rest of their personal data is masked, and each view is recorded.")
      : masked()
        ? h("p", {className: "masked-note"}, "Your role sees personal data masked, as the API returns it.")
        : null,
  );
}

function skeleton(main, identity, ring, tab) {
  const tabs = TABS.filter(([name]) => (name !== "ring" || ring) && !(isAgent() && NOT_FOR_AGENTS.has(name)));
  fill(
    main,
    h(
      "article",
      {className: "identity", dataset: {id: identity.id}},
      head(identity, ring),
      h("nav", {role: "tablist", "aria-label": "Views of this customer", className: "tabs"},
        tabs.map(([name, label]) => tabLink(identity.id, name, label, name === tab))),
      h("section", {role: "tabpanel", id: "panel", className: "panel", "aria-labelledby": `tab-${tab}`}),
    ),
  );
}

function selectTab(main, tab) {
  for (const link of main.querySelectorAll('[role="tab"]')) {
    link.setAttribute("aria-selected", String(link.id === `tab-${tab}`));
  }
  main.querySelector("#panel").setAttribute("aria-labelledby", `tab-${tab}`);
}

async function loadHeader(id) {
  const {data} = await request(HEADER, {id, agent: isAgent()});
  let ring = null;
  if (data.identity && can("analyst")) {
    const answer = await request(RING_OF, {id: data.identity.id});
    ring = answer.data.identity ? answer.data.identity.fraudRing : null;
  }
  return {identity: data.identity, ring};
}

/** Show identity `id` with its `tab` open in `main`. */
export async function showIdentity(main, id, tab) {
  const mine = ++token;
  const current = () => mine === token;
  const article = main.querySelector("article.identity");
  if (shown.id !== id || !article || article.dataset.id !== id) {
    fill(main, loading("Loading the customer"));
    let header;
    try {
      header = await loadHeader(id);
    } catch (error) {
      if (current()) fill(main, errorBox(error, () => showIdentity(main, id, tab)));
      return;
    }
    if (!current()) return;
    if (!header.identity) {
      fill(main, h("p", {className: "empty"}, `No active customer has the id ${id}: it was erased, or never existed.`));
      shown = {id: null, ring: null};
      return;
    }
    if (header.identity.id !== id) {
      history.replaceState(null, "", `#/identity/${encodeURIComponent(header.identity.id)}/${tab}`);
    }
    shown = {id: header.identity.id, ring: header.ring};
    skeleton(main, header.identity, header.ring, tab);
  } else {
    selectTab(main, tab);
  }
  const found = TABS.find(([name]) => name === tab && !(isAgent() && NOT_FOR_AGENTS.has(name))) || TABS[0];
  const panel = main.querySelector("#panel");
  fill(panel, loading());
  try {
    await found[2](panel, shown.id, current);
  } catch (error) {
    if (current()) fill(panel, errorBox(error, () => showIdentity(main, id, tab)));
  }
}
