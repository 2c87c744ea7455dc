// The explorer: a map from /render/graph.json, search through /entities, and a panel
// that reads /entities/{id}, /accountability, /analysis/gaps and /analysis/duplication.
// Data is only ever written into the page with textContent, never as HTML, except the
// map's tooltips, which the server builds from escaped strings.
"use strict";

const state = new URLSearchParams(window.location.search);
const FILTERS = ["kind", "type", "priority", "rel", "status", "focus", "depth", "as_at"];
let network = null;

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

async function getJSON(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || response.statusText);
  return body;
}

function saveState() {
  const query = state.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
}

function asElement(item) {
  if (typeof item.title === "string") {
    const box = document.createElement("div");
    box.innerHTML = item.title; // built server-side from html.escape()d strings
    item.title = box;
  }
  return item;
}

async function loadMap() {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (state.get(name)) params.set(name, state.get(name));
  let data;
  try {
    data = await getJSON(`/render/graph.json?${params}`);
  } catch (error) {
    document.getElementById("count").textContent = `Map: ${error.message}`;
    return;
  }
  document.getElementById("count").textContent = `${data.nodes.length} entities, ${data.edges.length} relations`;
  drawLegend(data.legend);
  const types = document.getElementById("f-type");
  if (types.options.length === 1) {
    for (const value of data.body_types) types.append(el("option", value.replaceAll("_", " "), { value }));
    types.value = state.get("type") || "";
  }
  const nodes = new vis.DataSet(data.nodes.map(asElement));
  const edges = new vis.DataSet(data.edges.map(asElement));
  if (network) network.destroy();
  document.body.dataset.stable = "no";
  network = new vis.Network(document.getElementById("map"), { nodes, edges }, data.options);
  window.govmapNetwork = network;
  const stable = () => {
    // settled: freeze the layout so nodes stay where the reviewer sees them
    network.setOptions({ physics: { enabled: false } });
    network.fit({ animation: false });
    document.body.dataset.stable = "yes";
    if (state.get("selected")) centreOn(state.get("selected"));
  };
  if (data.options.physics.enabled) network.once("stabilizationIterationsDone", stable); else stable();
  network.on("click", (event) => { if (event.nodes.length) select(event.nodes[0]); });
  if (state.get("selected")) select(state.get("selected"), { centre: true });
}

function drawLegend(legend) {
  const box = document.getElementById("legend");
  const items = legend.nodes.map((item) => {
    const row = el("li", item.label);
    row.prepend(el("span", null, { class: "swatch", style: `background: ${item.colour}` }));
    return row;
  });
  for (const item of legend.edges) {
    const row = el("li", item.label);
    row.prepend(el("span", null, { class: "line", style: `border-top: 3px ${item.dashes === true ? "dashed" : item.dashes ? "dotted" : "solid"} ${item.colour}` }));
    items.push(row);
  }
  box.replaceChildren(el("summary", "Legend"), el("ul"));
  box.querySelector("ul").append(...items);
}

function centreOn(id) {
  if (!network || !network.body.data.nodes.get(id)) return;
  network.selectNodes([id]);
  network.focus(id, { scale: 1.1, animation: false });
}

async function select(id, options) {
  state.set("selected", id);
  saveState();
  if (options && options.centre) centreOn(id);
  const panel = document.getElementById("panel");
  panel.replaceChildren(el("p", "Loading…"));
  try {
    const [detail, chain, gaps, overlaps] = await Promise.all([
      getJSON(`/entities/${encodeURIComponent(id)}`),
      getJSON(`/accountability?for=${encodeURIComponent(id)}`),
      getJSON(`/analysis/gaps?entity=${encodeURIComponent(id)}`),
      getJSON(`/analysis/duplication?entity=${encodeURIComponent(id)}`),
    ]);
    panel.replaceChildren(...details(detail), ...chainSection(chain), ...gapSection(gaps),
      ...overlapSection(overlaps), ...relationSection(detail));
    panel.dataset.entity = id;
  } catch (error) {
    panel.replaceChildren(el("p", error.message, { class: "flag" }));
  }
}

function entityLink(ref) {
  const link = el("a", ref.name, { class: "entity", "data-id": ref.id });
  link.addEventListener("click", () => select(ref.id, { centre: true }));
  return link;
}

function evidence(sources) {
  return sources.map((source) => {
    if (source.kind === "reference") {
      const cited = el("blockquote", source.citation, { class: "reference" });
      cited.append(el("div", `reference layer · ${source.url}`, { class: "doc" }));
      return cited;
    }
    const quote = el("blockquote", `“${source.excerpt}”`);
    const where = [source.title, source.locator, source.document].filter(Boolean).join(" · ");
    quote.append(el("div", where, { class: "doc" }));
    return quote;
  });
}

const STANDING = {
  formal: "reaches the top through formal lines",
  soft_only: "reaches the top only through soft oversight",
  outside_scope: "answers outside the Scottish public sector",
  broken: "does not reach the top",
};

function details(detail) {
  const entity = detail.entity;
  const out = [el("h2", entity.name, { id: "entity-name" }),
    el("p", [entity.kind, entity.type, entity.status && `assessed: ${entity.status.replaceAll("_", " ")}`]
      .filter(Boolean).join(" · "), { class: "meta" })];
  if (entity.aliases.length) out.push(el("p", `Also: ${entity.aliases.join(", ")}`, { class: "meta" }));
  if (entity.description) out.push(el("p", entity.description));
  if (entity.requires) out.push(el("p", `Requires: ${entity.requires}`));
  const focus = el("button", "Show its neighbourhood", { type: "button", id: "show-neighbourhood" });
  focus.addEventListener("click", () => { state.set("focus", entity.id); state.set("depth", "2"); saveState(); loadMap(); });
  out.push(focus);
  if (entity.sources.length) out.push(el("h3", "Evidence"), ...evidence(entity.sources));
  if (entity.facts.length) {
    const list = el("ul");
    for (const fact of entity.facts) {
      list.append(el("li", `${fact.measure}: ${fact.value}${fact.total ? " of " + fact.total : ""} ${fact.unit}`));
    }
    out.push(el("h3", "Facts the documents state"), list);
  }
  return out;
}

function chainSection(chain) {
  const out = [el("h3", "Accountability chain"),
    el("p", `${chain.subject.name} ${STANDING[chain.standing]}`, { id: "chain-standing", class: `standing-${chain.standing}` }),
    el("p", chain.explanation, { id: "chain-explanation" })];
  if (chain.starts.length > 1) {
    const leads = el("ul", null, { id: "chain-leads" });
    for (const start of chain.starts) {
      const item = el("li");
      item.append(entityLink(start.body), `${start.rank === "primary" ? " (primary lead)" : ""}: ${STANDING[start.standing]}`);
      leads.append(item);
    }
    out.push(leads);
  }
  const list = el("ol", null, { id: "chain" });
  for (const path of chain.paths) {
    const item = el("li", null, { class: `standing-${path.standing}` });
    item.append(entityLink(path.start));
    for (const hop of path.hops) {
      item.append(` ${hop.reads} `, entityLink(hop.upper));
      const marks = [hop.strength, hop.evidence.confidence === "inferred" && "inferred",
        hop.evidence.basis === "reference" && "reference"].filter(Boolean);
      item.append(el("em", ` (${marks.join(", ")})`));
    }
    item.append(el("span", ` — ${path.standing.replaceAll("_", " ")}`, { class: "meta" }));
    list.append(item);
  }
  out.push(list);
  for (const flag of chain.flags) out.push(el("p", `⚑ ${flag.code}: ${flag.message}`, { class: "flag" }));
  return out;
}

function gapSection(gaps) {
  if (!gaps.items.length) return [];
  const list = el("ul");
  for (const gap of gaps.items) {
    const who = gap.assessed_by.length ? ` (${gap.assessed_by.map((a) => a.name).join(", ")}, ${gap.assessed_on.slice(0, 4)})` : "";
    list.append(el("li", `${gap.severity} · ${gap.basis} · ${gap.kind.replaceAll("_", " ")}: ${gap.message}${who}`, { class: `sev-${gap.severity}` }));
  }
  return [el("h3", "Gaps"), list];
}

function overlapSection(overlaps) {
  if (!overlaps.items.length) return [];
  const list = el("ul");
  for (const finding of overlaps.items) {
    list.append(el("li", `${finding.kind.replaceAll("_", " ")} (${finding.basis}): ${finding.title}. ${finding.explanation}`));
  }
  return [el("h3", "Duplication"), list];
}

function relationSection(detail) {
  const list = el("ul", null, { id: "relations" });
  for (const relation of detail.relations) {
    const item = el("li");
    item.append(`${relation.reads} `, entityLink(relation.other));
    if (relation.relation.confidence === "inferred") item.append(el("em", " (inferred)"));
    item.append(...evidence(relation.relation.sources.slice(0, 1)));
    list.append(item);
  }
  return [el("h3", `Relations (${detail.relations.length})`), list];
}

async function search(query) {
  const box = document.getElementById("results");
  box.replaceChildren();
  if (!query.trim()) { box.hidden = true; return null; }
  const found = await getJSON(`/entities?q=${encodeURIComponent(query)}&limit=8`);
  for (const item of found.items) {
    const row = el("li", item.name, { "data-id": item.id });
    row.append(el("small", ` ${item.kind}${item.type ? " · " + item.type : ""}`));
    row.addEventListener("click", () => { box.hidden = true; select(item.id, { centre: true }); });
    box.append(row);
  }
  if (!found.items.length) box.append(el("li", "Nothing matches"));
  box.hidden = false;
  return found.items[0] || null;
}

async function fillFilters() {
  const schema = await getJSON("/openapi.json");
  const enumOf = (name) => schema.components.schemas[name].enum;
  const fill = (id, values) => {
    const select = document.getElementById(id);
    for (const value of values) select.append(el("option", value.replaceAll("_", " "), { value }));
  };
  fill("f-kind", enumOf("NodeKind"));
  fill("f-rel", enumOf("RelType"));
  const priorities = await getJSON("/entities?kind=priority_area&limit=50");
  const select = document.getElementById("f-priority");
  for (const area of priorities.items) select.append(el("option", area.name, { value: area.id }));
  for (const selectBox of document.querySelectorAll("select[data-param]")) {
    selectBox.value = state.get(selectBox.dataset.param) || "";
    selectBox.addEventListener("change", () => {
      if (selectBox.value) state.set(selectBox.dataset.param, selectBox.value); else state.delete(selectBox.dataset.param);
      saveState();
      loadMap();
    });
  }
}

document.getElementById("search").addEventListener("submit", async (event) => {
  event.preventDefault();
  const best = await search(document.getElementById("q").value);
  if (best) { document.getElementById("results").hidden = true; select(best.id, { centre: true }); }
});
document.getElementById("q").addEventListener("input", (event) => { search(event.target.value); });
document.getElementById("reset").addEventListener("click", () => {
  for (const name of FILTERS) state.delete(name);
  saveState();
  for (const selectBox of document.querySelectorAll("select[data-param]")) selectBox.value = "";
  loadMap();
});

fillFilters().then(loadMap);
