// Service context: the profile's card with the last contact and the open support tickets, and
// the pieces the timeline shows a ticket with (its status and body). A reader sees the body
// masked, as the API masks it.

import {card, chip, facts, h, orDash, when} from "./dom.js";

/** A ticket's status as a chip (open, pending, solved, closed), or nothing. */
export function statusChip(status) {
  return status ? chip(status, `ticket-status status-${status}`) : null;
}

/** A ticket's body as a paragraph, or nothing. */
export function ticketBody(text) {
  return text ? h("p", {className: "ticket-body"}, text) : null;
}

function channelName(item) {
  return item.channel ? item.channel.name : "unknown";
}

function lastContact(contact) {
  if (!contact) return h("span", {id: "last-contact"}, "No contact yet.");
  const interaction = contact.interaction;
  return h(
    "span",
    {id: "last-contact"},
    `${when(contact.at)} · ${channelName(contact)} · ${orDash(interaction.type)}`,
    interaction.subject ? ` · ${interaction.subject}` : "",
    interaction.status ? " " : "",
    statusChip(interaction.status),
  );
}

function ticket(item) {
  const updated = item.updatedAt ? ` · updated ${when(item.updatedAt)}` : "";
  return h(
    "li",
    {className: "ticket", dataset: {key: item.key, status: item.status || ""}},
    h("div", {className: "ticket-head"},
      statusChip(item.status), chip(channelName(item), "channel"),
      h("strong", {className: "ticket-subject"}, item.subject || "(no subject)")),
    h("p", {className: "hint"}, `opened ${when(item.occurredAt)}${updated} · `, h("code", {}, item.key)),
    ticketBody(item.text),
  );
}

/** The service card of an identity with `lastContact` and `openTickets` (SERVICE_FIELDS). */
export function serviceCard(identity) {
  const open = identity.openTickets;
  return card(
    "Service",
    facts([["Last contact", lastContact(identity.lastContact)]]),
    h("h4", {id: "open-tickets-title"}, `Open tickets (${open.length})`),
    open.length
      ? h("ol", {className: "tickets", id: "open-tickets"}, open.map(ticket))
      : h("p", {className: "empty", id: "open-tickets"}, "No open tickets."),
  );
}
