// Drawing graphs with Cytoscape.js (vendored at /static/vendor by `make install`): the shared
// look, the legend, and a details pane that shows what is hovered or clicked.

import {fill, h} from "./dom.js";

const CYTOSCAPE_URL = "/static/vendor/cytoscape.esm.min.mjs";

export const COLOURS = {
  record: "#2563eb",
  member: "#2563eb",
  related: "#cbd5e1",
  email: "#0f766e",
  phone: "#7c3aed",
  device: "#b45309",
  address: "#4d7c0f",
  loyalty_id: "#be185d",
  national_id: "#475569",
  hub: "#dc2626",
};

const STYLE = [
  {selector: "node", style: {
    label: "data(label)", "font-size": 14, "text-wrap": "wrap", "text-max-width": 170,
    "text-valign": "bottom", "text-margin-y": 4, color: "#1f2933", width: 22, height: 22,
    "background-color": "#94a3b8", "border-width": 1, "border-color": "#ffffff",
    "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 1,
  }},
  {selector: "node.record, node.member", style: {shape: "round-rectangle", width: 36, height: 26, "background-color": COLOURS.record}},
  {selector: "node.related", style: {"background-color": COLOURS.related, "border-style": "dashed", "border-color": "#475569", "border-width": 2}},
  {selector: "node.email", style: {shape: "diamond", "background-color": COLOURS.email}},
  {selector: "node.phone", style: {shape: "triangle", "background-color": COLOURS.phone}},
  {selector: "node.device", style: {shape: "hexagon", "background-color": COLOURS.device}},
  {selector: "node.address", style: {shape: "pentagon", "background-color": COLOURS.address}},
  {selector: "node.loyalty_id", style: {shape: "tag", "background-color": COLOURS.loyalty_id}},
  {selector: "node.national_id", style: {shape: "tag", "background-color": COLOURS.national_id}},
  {selector: "node.hub", style: {width: 34, height: 34, "border-width": 5, "border-color": COLOURS.hub, "border-style": "double", color: "#991b1b", "font-weight": "bold"}},
  {selector: "edge", style: {width: 1.5, "line-color": "#cbd5e1", "curve-style": "bezier"}},
  {selector: "edge.uses", style: {"line-color": "#94a3b8"}},
  {selector: "edge.link", style: {
    width: "mapData(probability, 0.5, 1, 2, 7)", "line-color": "#1d4ed8", label: "data(label)",
    "font-size": 12, color: "#1e3a8a", "text-background-color": "#ffffff", "text-background-opacity": 1,
    "text-background-padding": 2,
  }},
  {selector: "edge.link.fuzzy", style: {"line-style": "dashed"}},
  {selector: "edge.link.must", style: {"line-color": "#15803d"}},
  {selector: "edge.shares", style: {"line-style": "dotted", "line-color": COLOURS.hub, width: 2}},
  {selector: ":selected", style: {"overlay-color": "#f59e0b", "overlay-opacity": 0.35, "overlay-padding": 6}},
];

let loaded = null;

/** The cytoscape factory, imported once; rejects with a message saying how to build it. */
export async function cytoscape() {
  if (!loaded) {
    loaded = import(CYTOSCAPE_URL).then(
      (module) => module.default,
      () => {
        loaded = null;
        throw new Error("Cytoscape.js is not built: run `make install` on the server (it copies it into c360graph/api/static/vendor).");
      },
    );
  }
  return loaded;
}

/** A legend: [class, label] pairs, each with its colour swatch. */
export function legend(items) {
  return h("ul", {className: "legend", "aria-label": "Legend"}, items.map(([kind, label]) =>
    h("li", {}, h("span", {className: `swatch swatch-${kind}`, "aria-hidden": "true"}), label)));
}

/**
 * Place nodes on rings, inner to outer (`levels`: one array of node selectors per ring, e.g.
 * records, then identifiers, then related customers). A node on an outer ring sits towards the
 * nodes of inner rings it is joined to, so each identifier lands beside the records using it;
 * the same data always gets the same picture.
 */
function radial(cy, levels) {
  const positions = {};
  let radius = 0;
  levels.forEach(([selector, spacing], index) => {
    const nodes = cy.nodes(selector);
    if (nodes.empty()) return;
    const needed = nodes.length > 1 ? (nodes.length * spacing) / (2 * Math.PI) : 0;
    radius = index === 0 ? needed : Math.max(radius + (radius === 0 ? 150 : 100), needed);
    const step = (2 * Math.PI) / nodes.length;
    const wanted = nodes.map((node, i) => {
      let x = 0;
      let y = 0;
      for (const other of node.neighborhood("node")) {
        const at = positions[other.id()];
        if (at) {
          x += at.x;
          y += at.y;
        }
      }
      const angle = x === 0 && y === 0 ? i * step - Math.PI / 2 : Math.atan2(y, x);
      return {id: node.id(), angle};
    }).sort((a, b) => a.angle - b.angle || (a.id < b.id ? -1 : 1));
    // Even slots, turned to best fit the angles wanted.
    let sx = 0;
    let sy = 0;
    wanted.forEach((w, i) => {
      sx += Math.cos(w.angle - i * step);
      sy += Math.sin(w.angle - i * step);
    });
    const turn = index === 0 ? -Math.PI / 2 : Math.atan2(sy, sx);
    wanted.forEach((w, i) => {
      positions[w.id] = {x: radius * Math.cos(turn + i * step), y: radius * Math.sin(turn + i * step)};
    });
  });
  cy.layout({name: "preset", positions: (node) => positions[node.id()] || {x: 0, y: 0}, fit: true, padding: 30, animate: false}).run();
  if (cy.zoom() > 1.25) {
    // a small graph is not blown up: text keeps the size of the page's
    cy.zoom(1.25);
    cy.center();
  }
}

/**
 * Draw `elements` in `container`, on the rings `levels` ([selector, spacing] pairs, inner
 * first); `describe(element)` gives the details pane's content for a hovered or clicked
 * element. Returns the cytoscape instance (also at window.c360explorer.cy, for the browser
 * console and the browser tests).
 */
export async function draw(container, details, elements, levels, describe, emptyText) {
  const factory = await cytoscape();
  const cy = factory({
    container,
    elements,
    style: STYLE,
    layout: {name: "null"},
    minZoom: 0.2,
    maxZoom: 3,
    boxSelectionEnabled: false,
    selectionType: "single",
  });
  radial(cy, levels);
  const show = (element) => fill(details, describe(element));
  const idle = () => fill(details, h("p", {className: "hint"}, emptyText));
  idle();
  cy.on("mouseover", "node, edge", (event) => {
    if (cy.$(":selected").empty()) show(event.target);
  });
  cy.on("mouseout", "node, edge", () => {
    if (cy.$(":selected").empty()) idle();
  });
  cy.on("select", "node, edge", (event) => show(event.target));
  cy.on("unselect", "node, edge", () => {
    if (cy.$(":selected").empty()) idle();
  });
  container.dataset.nodes = String(cy.nodes().length);
  container.dataset.edges = String(cy.edges().length);
  window.c360explorer = {cy};
  return cy;
}
