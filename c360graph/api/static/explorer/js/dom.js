// Building the page safely: every piece of data becomes a text node, never markup.

/**
 * An element: h("a", {href: "#/", className: "x", onClick: fn, dataset: {k: "v"}}, "text", child).
 * Props named on* add event listeners; children that are strings or numbers become text nodes;
 * null, undefined and false children are skipped; arrays are flattened.
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      node.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

/** Add children (nodes, text, arrays of them) to a node. */
export function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Replace a node's children. */
export function fill(node, ...children) {
  node.replaceChildren();
  return append(node, children);
}

/** "2026-04-25 18:51 UTC" from an ISO date-time (the API answers in UTC), or "—". */
export function when(iso) {
  if (!iso) return "—";
  const text = String(iso);
  return text.length >= 16 ? `${text.slice(0, 10)} ${text.slice(11, 16)} UTC` : text;
}

/** "2026-04-25" from an ISO date-time, or "—". */
export function day(iso) {
  return iso ? String(iso).slice(0, 10) : "—";
}

/** "345.41 GBP". */
export function money(amount, currency) {
  if (amount === null || amount === undefined) return "—";
  return `${Number(amount).toFixed(2)} ${currency || ""}`.trim();
}

/** "67%" from 0..1. */
export function percent(share, digits = 0) {
  if (share === null || share === undefined) return "—";
  return `${(Number(share) * 100).toFixed(digits)}%`;
}

/** A value or a dash. */
export function orDash(value) {
  return value === null || value === undefined || value === "" ? "—" : String(value);
}

/** A two-column definition list from [term, value] pairs (values may be nodes). */
export function facts(pairs, className = "facts") {
  return h("dl", {className}, pairs.map(([term, value]) => [h("dt", {}, term), h("dd", {}, value)]));
}

/** A table: headers and rows of cells (cells may be nodes). */
export function table(caption, headers, rows, className = "grid") {
  return h(
    "table",
    {className},
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((name) => h("th", {scope: "col"}, name)))),
    h("tbody", {}, rows.map((cells) => h("tr", {}, cells.map((cell) => h("td", {}, cell))))),
  );
}

/** A titled card section. */
export function card(title, ...children) {
  return h("section", {className: "card", "aria-label": title}, h("h3", {}, title), children);
}

/** A card spanning the whole row. */
export function wideCard(title, ...children) {
  const section = card(title, ...children);
  section.classList.add("wide");
  return section;
}

/** A small label chip. */
export function chip(text, className = "") {
  return h("span", {className: `chip ${className}`.trim()}, text);
}

/** A "loading" placeholder. */
export function loading(what = "Loading") {
  return h("p", {className: "loading", role: "status"}, `${what}…`);
}
