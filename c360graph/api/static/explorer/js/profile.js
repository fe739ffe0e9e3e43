// The profile tab: golden record with sources, identifiers, channels, value and segment,
// marketing consent, service (last contact, open tickets), household, source records, staff attributes and notes.

import {gql} from "./api.js";
import {card, chip, day, facts, fill, h, orDash, percent, table, when, wideCard} from "./dom.js";
import {renderNotes} from "./notes.js";
import {PROFILE} from "./queries.js";
import {isAgent} from "./session.js";
import {serviceCard} from "./service.js";

const GOLDEN_FIELDS = [
  ["fullName", "Full name"],
  ["firstName", "First name"],
  ["lastName", "Last name"],
  ["dateOfBirth", "Date of birth"],
  ["gender", "Gender"],
  ["email", "Email"],
  ["phone", "Phone"],
  ["country", "Country"],
];

function sourceCell(source, record) {
  return h("span", {className: "source-cell"}, chip(source, "source"), " ", h("code", {}, record));
}

function golden(profile) {
  const rows = GOLDEN_FIELDS.filter(([field]) => profile[field]).map(([field, label]) => [
    label,
    h("span", {className: "value", dataset: {field}}, profile[field].value),
    sourceCell(profile[field].source, profile[field].record),
  ]);
  const address = profile.address;
  if (address) {
    const lines = [address.line1, address.line2, [address.postcode, address.city].filter(Boolean).join(" "),
      [address.region, address.country].filter(Boolean).join(", ")].filter(Boolean);
    rows.push(["Address", h("span", {className: "value", dataset: {field: "address"}}, lines.join(", ")),
      sourceCell(address.source, address.record)]);
  }
  return card(
    "Golden record",
    h("p", {className: "hint"}, "Each surviving value, with the source system and record it came from."),
    rows.length ? table(null, ["Field", "Value", "Source"], rows, "grid golden") : h("p", {}, "No values."),
  );
}

function identifiers(list) {
  const rows = list.map((identifier) => [
    identifier.kind,
    h("span", {className: "value"}, identifier.value),
    h("span", {}, identifier.records.map((key) => h("code", {className: "record-key"}, key))),
    h("span", {}, identifier.detail ? identifier.detail : "",
      identifier.shared ? chip("shared hub: ignored when linking", "hub") : null),
  ]);
  return wideCard(
    "Identifiers",
    rows.length
      ? table(null, ["Kind", "Value", "Used by records", "Notes"], rows, "grid identifiers")
      : h("p", {}, "No identifiers."),
  );
}

function channels(list) {
  const rows = list.map((usage) => [usage.channel, String(usage.orders), String(usage.interactions), when(usage.lastUsedAt)]);
  return card(
    "Channels used",
    rows.length ? table(null, ["Channel", "Orders", "Interactions", "Last used"], rows, "grid channels")
      : h("p", {}, "No activity on any channel."),
  );
}

function value(metrics, segment) {
  const spend = metrics.spend.length
    ? h("ul", {className: "plain"}, metrics.spend.map((s) =>
      h("li", {}, `${s.totalText} over ${s.orders} purchase${s.orders === 1 ? "" : "s"} (avg ${s.averageText})`)))
    : "—";
  const excluded = metrics.excludedOrderCount
    ? ` (${metrics.excludedOrderCount} more cancelled, returned or undated: not counted)` : "";
  const pairs = [
    ["Purchases", h("span", {id: "purchase-count"}, `${metrics.orderCount}${excluded}`)],
    ["Spend", h("span", {id: "spend"}, spend)],
    ["First purchase", day(metrics.firstOrderAt)],
    ["Last purchase", day(metrics.lastOrderAt)],
    ["Lifetime value", h("span", {id: "lifetime-value"}, metrics.lifetimeValueText || "—")],
    ["Churn risk", segment && segment.churnBand ? `${percent(metrics.churnRisk)} (${segment.churnBand})` : percent(metrics.churnRisk)],
  ];
  if (segment) {
    pairs.push(
      ["Segment", h("span", {id: "segment-name"}, chip(segment.name, "segment"), segment.rfm ? ` RFM ${segment.rfm}` : "")],
      ["Bands", [segment.frequencyBand, segment.valueBand, segment.loyaltyBand].filter(Boolean).join(" · ") || "—"],
      ["Preferred channel", orDash(segment.preferredChannel)],
      ["Measured at", day(segment.asOf)],
    );
  } else {
    pairs.push(["Segment", "not computed yet (c360 analyze segments)"]);
  }
  return card("Value and segment", facts(pairs));
}

const CONSENT_WORDS = {opt_in: "opted in", opt_out: "opted out", unsubscribed: "unsubscribed"};

function consents(list) {
  const rows = list.map((c) => [
    c.channel,
    chip(CONSENT_WORDS[c.status] || c.status, c.contactable ? "consent-yes" : "consent-no"),
    sourceCell(c.source, c.record),
    when(c.recordedAt),
    orDash(c.detail),
  ]);
  return card(
    "Marketing consent",
    h("p", {className: "hint"}, "The latest choice per channel, across sources. A channel not listed was never asked: not contactable."),
    rows.length ? table(null, ["Channel", "Choice", "Recorded by", "When", "How"], rows, "grid consents")
      : h("p", {}, "No consent recorded: contact on no channel."),
  );
}

function household(found) {
  if (!found) return card("Household", h("p", {}, "Not part of a household (or households not analysed yet)."));
  const members = found.memberships.map((m) => {
    const name = m.identity && m.identity.profile.fullName ? m.identity.profile.fullName.value : m.identityId;
    return h(
      "li",
      {},
      m.identity ? h("a", {href: `#/identity/${encodeURIComponent(m.identityId)}/profile`}, name) : name,
      ` · ${percent(m.confidence)} · ${orDash(m.reason)}`,
    );
  });
  return card(
    "Household",
    facts([
      ["Confidence", percent(found.confidence)],
      ["Why", orDash(found.reason)],
      ["Evidence", found.evidence.join(", ") || "—"],
      ["Members", String(found.size)],
    ]),
    h("ul", {className: "members"}, members),
  );
}

function records(connection) {
  const rows = connection.edges.map(({node}) => [
    h("code", {}, node.key),
    orDash(node.fullName),
    [...node.emails, ...node.phones].join(", ") || "—",
    [node.city, node.country].filter(Boolean).join(", ") || "—",
    day(node.createdAt),
  ]);
  return wideCard("Source records", table(null, ["Record", "Name", "Emails and phones", "Place", "Created"], rows, "grid records"));
}

function attributes(list) {
  if (!list.length) return null;
  return card("Staff attributes", table(null, ["Name", "Value", "Set by", "When"],
    list.map((a) => [a.name, a.value, a.author, when(a.at)])));
}

/** Render the profile of identity `id` into `panel`. */
export async function renderProfile(panel, id, current) {
  const data = await gql(PROFILE, {id, agent: isAgent()});
  if (!current()) return;
  const identity = data.identity;
  if (!identity) {
    fill(panel, h("p", {className: "empty"}, "This customer is no longer active."));
    return;
  }
  const notes = h("section", {className: "card notes", "aria-label": "Notes", id: "notes"});
  fill(
    panel,
    h(
      "div",
      {className: "cards"},
      golden(identity.profile),
      value(identity.metrics, identity.segment),
      identifiers(identity.identifiers),
      channels(identity.channels),
      consents(identity.consents),
      serviceCard(identity),
      isAgent() ? null : household(identity.household), // households are not for agents
      notes,
      records(identity.records),
      attributes(identity.attributes),
    ),
  );
  renderNotes(notes, identity.id, identity.notes);
}
