// The timeline tab: the customer journey (orders and interactions across channels), newest
// first, filtered by channel and type, a page at a time.

import {gql} from "./api.js";
import {append, chip, fill, h, money, orDash, when} from "./dom.js";
import {errorBox} from "./notice.js";
import {TIMELINE} from "./queries.js";
import {statusChip, ticketBody} from "./service.js";

const PAGE = 25;
const TYPES = [
  ["", "Orders and interactions"],
  ["ORDER", "Orders only"],
  ["INTERACTION", "Interactions only"],
];

function entry(node) {
  const channel = node.channel ? node.channel.name : "unknown";
  if (node.kind === "ORDER" && node.order) {
    const order = node.order;
    return h(
      "li",
      {className: "entry order", dataset: {kind: "ORDER", channel}},
      h("time", {datetime: node.at || ""}, when(node.at)),
      chip("order", "kind-order"),
      chip(channel, "channel"),
      h("span", {className: "entry-main"}, `${order.amountText || money(order.amount, order.currency)} · ${orDash(order.status)}`),
      h("span", {className: "entry-detail"}, h("code", {}, order.key)),
    );
  }
  const interaction = node.interaction || {};
  const rating = interaction.rating === null || interaction.rating === undefined ? "" : ` · rated ${interaction.rating}`;
  // A ticket shows its status and its whole body (masked for readers, as the API masks it).
  const ticket = interaction.type === "ticket";
  return h(
    "li",
    {className: `entry interaction${ticket ? " ticket" : ""}`, dataset: {kind: "INTERACTION", channel}},
    h("time", {datetime: node.at || ""}, when(node.at)),
    chip(orDash(interaction.type), "kind-interaction"),
    chip(channel, "channel"),
    h("span", {className: "entry-main"}, `${interaction.subject || (ticket ? "" : interaction.text) || "(no subject)"}${rating}`,
      ticket ? [" ", statusChip(interaction.status)] : null),
    ticket ? ticketBody(interaction.text) : null,
    h("span", {className: "entry-detail"}, h("code", {}, orDash(interaction.key)),
      ticket && interaction.updatedAt ? ` · updated ${when(interaction.updatedAt)}` : ""),
  );
}

function select(id, label, options, value) {
  return h("label", {for: id, className: "inline"}, label,
    h("select", {id}, options.map(([v, text]) => h("option", {value: v, selected: v === value}, text))));
}

/** Render identity `id`'s timeline with its filters into `panel`. */
export async function renderTimeline(panel, id, current) {
  const filters = {channel: "", kind: ""};
  let after = null;
  let generation = 0; // a filter change starts a new list; answers for an older one are dropped

  const list = h("ol", {className: "timeline", id: "timeline-list", "aria-label": "Customer journey, newest first"});
  const more = h("button", {type: "button", id: "timeline-more", hidden: true}, "Show older");
  const summary = h("p", {className: "hint", id: "timeline-summary", role: "status"});
  const form = h("form", {className: "filters", id: "timeline-filters"});

  async function load(reset) {
    if (reset) {
      generation += 1;
      after = null;
      fill(list);
    }
    const mine = generation;
    more.disabled = true;
    const variables = {id, first: PAGE, after, channel: filters.channel || null, kinds: filters.kind ? [filters.kind] : null};
    let data;
    try {
      data = await gql(TIMELINE, variables);
    } catch (error) {
      if (current() && mine === generation) append(list, h("li", {}, errorBox(error, () => load(reset))));
      return null;
    }
    if (!current() || mine !== generation) return null;
    const {edges, pageInfo} = data.identity.timeline;
    append(list, edges.map(({node}) => entry(node)));
    after = pageInfo.endCursor;
    more.hidden = !pageInfo.hasNextPage;
    more.disabled = false;
    const shown = list.querySelectorAll("li.entry").length;
    summary.textContent = shown
      ? `${shown} event${shown === 1 ? "" : "s"} shown${pageInfo.hasNextPage ? ", more below" : ""}, newest first.`
      : "Nothing matches these filters.";
    return data.identity;
  }

  const identity = await load(true);
  if (!identity) return;
  const channels = [["", "All channels"], ...identity.channels.map((c) => [c.channel, c.channel])];
  fill(form, select("timeline-channel", "Channel", channels, ""), select("timeline-kind", "Type", TYPES, ""));
  form.addEventListener("change", () => {
    filters.channel = form.querySelector("#timeline-channel").value;
    filters.kind = form.querySelector("#timeline-kind").value;
    load(true);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  more.addEventListener("click", () => load(false));
  fill(panel, h("div", {className: "card"}, h("h3", {}, "Customer journey"), form, summary, list, more));
}
