// The explorer: a map from /render/graph.json (top down by default; in groups, each
// expandable, when it is large), search through
// /entities, a panel that reads /entities/{id}, /accountability, /analysis/gaps and
// /analysis/duplication, a what-if panel that posts to /scenarios, and the whole map's
// gaps, overlaps and recommendations as views (/analysis/gaps, /analysis/duplication,
// /reports/streamlining?format=json). Every filter's choices come from /render/vocabularies.json.
// Data is only ever written into the page with textContent, never as HTML, except the
// map's tooltips, which the server builds from escaped strings (asElement, map-common.js).
"use strict";

const state = new URLSearchParams(window.location.search);
const FILTERS = ["kind", "type", "priority", "rel", "status", "focus", "depth", "as_at"];
const FILTER_NAMES = { kind: "kind", type: "body type", priority: "priority area", rel: "relation",
  status: "status", focus: "around", depth: "depth", as_at: "as at" };
const MAX_SEARCH = 200;
const FADED = "rgba(200,200,200,0.35)";
const READING_SCALE = 0.9; // 14px labels read at about 12.6px
let network = null;
let mapData = null;
let original = { nodes: new Map(), edges: new Map() };
let latest = 0; // the newest thing the reviewer asked for: older answers are dropped

function claim() { latest += 1; return latest; }
function current(token) { return token === latest; }

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  return node;
}

// An API error as a sentence: FastAPI's `detail` is a string, or a list of
// {loc, msg} for invalid input; never show "[object Object]".
function errorText(body, response) {
  const detail = body && body.detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    return detail.map((item) => {
      const where = (item.loc || []).filter((part) => part !== "body" && part !== "query").join(".");
      return where ? `${where}: ${item.msg}` : item.msg;
    }).join("; ");
  }
  return `${response.status} ${response.statusText || "error"}`;
}

async function getJSON(url, init) {
  const response = await fetch(url, init);
  let body = null;
  try { body = await response.json(); } catch (error) { body = null; }
  if (!response.ok) throw new Error(errorText(body, response));
  return body;
}

function saveState() {
  const query = state.toString();
  window.history.replaceState(null, "", query ? `?${query}` : window.location.pathname);
  showActiveFilters();
}

function edgeKey(source, type, target) { return `${source}|${type}|${target}`; }

// `&as_at=…` when the reviewer chose a date: the findings then describe that day's map.
function asAtQuery() {
  return state.get("as_at") ? `&as_at=${encodeURIComponent(state.get("as_at"))}` : "";
}

function words(value) { return value.replaceAll("_", " "); }

// ---- the map -------------------------------------------------------------

async function loadMap() {
  const params = new URLSearchParams();
  for (const name of FILTERS) if (state.get(name)) params.set(name, state.get(name));
  if (state.get("layout") === "free") params.set("layout", "free");
  for (const group of state.getAll("expand")) params.append("expand", group);
  document.getElementById("layout").textContent = state.get("layout") === "free" ? "Top-down layout" : "Free layout";
  let data;
  try {
    data = await getJSON(`/render/graph.json?${params}`);
  } catch (error) {
    if (state.has("expand")) { // a group of an earlier map: show this map as it comes
      state.delete("expand");
      saveState();
      loadMap();
      return;
    }
    document.getElementById("count").textContent = `Map: ${error.message}`;
    document.body.dataset.stable = "yes";
    return;
  }
  mapData = data;
  titleLines(data);
  showAggregate(data.aggregate);
  document.getElementById("count").textContent = data.aggregate
    ? `${data.aggregate.entities.toLocaleString("en-GB")} entities, ${data.aggregate.relations.toLocaleString("en-GB")} relations, drawn as ${data.nodes.length} nodes`
    : `${data.nodes.length} entities, ${data.edges.length} relations`;
  drawLegend(data.legend);
  original = { nodes: new Map(), edges: new Map() };
  const nodes = new vis.DataSet(data.nodes.map((node) => {
    if (node.ends) node.label += `\nends ${node.ends.slice(0, 4)}`; // what ends is marked
    original.nodes.set(node.id, { color: node.color, font: { ...node.font, size: 14 }, size: node.size, label: node.label, borderWidth: 1 });
    return asElement(node);
  }));
  const edges = new vis.DataSet(data.edges.map((edge, i) => {
    const item = asElement({ ...edge, id: `e${i}` });
    original.edges.set(item.id, { color: edge.color, width: edge.width });
    return item;
  }));
  if (network) network.destroy();
  document.body.dataset.stable = "no";
  network = new vis.Network(document.getElementById("map"), { nodes, edges }, data.options);
  window.govmapNetwork = network;
  if (data.bands.length) network.on("beforeDrawing", (ctx) => drawBands(ctx, data.bands));
  const stable = () => {
    // settled: freeze the layout so nodes stay where the reviewer sees them
    network.setOptions({ physics: { enabled: false } });
    openingView(data.view);
    const members = data.aggregate ? data.nodes.filter((node) => node.kind !== "group").map((node) => node.id) : [];
    if (members.length) network.fit({ nodes: members, animation: false }); // what was just expanded
    document.body.dataset.stable = "yes";
    window.govmapStableAt = performance.now();
    if (state.get("selected")) centreOn(state.get("selected"));
  };
  if (data.options.physics.enabled) network.once("stabilizationIterationsDone", stable); else stable();
  network.on("click", (event) => {
    if (event.nodes.length && network.body.data.nodes.get(event.nodes[0]).kind === "group") expand(event.nodes[0], true);
    else if (event.nodes.length) select(event.nodes[0]);
    else if (!event.edges.length) clearFocus();
  });
  fillBodyChoices(data.nodes);
  if (state.get("selected")) select(state.get("selected"), { centre: true });
  if (state.get("view")) showView(state.get("view"));
}

// An aggregated map says so, with how many entities it stands for, how to expand a group,
// and a button to group again each one expanded.
function showAggregate(aggregate) {
  const box = document.getElementById("aggregate");
  box.hidden = !aggregate;
  if (!aggregate) { box.replaceChildren(); return; }
  box.replaceChildren(el("strong", aggregate.note));
  for (const group of aggregate.expanded) {
    const chip = el("span", `Expanded: ${group.name} `, { class: "expanded", "data-group": group.id });
    const again = el("button", "group again", { type: "button" });
    again.addEventListener("click", () => expand(group.id, false));
    chip.append(again);
    box.append(" ", chip);
  }
}

// Draw a group of an aggregated map member by member (or, with open false, as one again).
function expand(group, open) {
  const others = state.getAll("expand").filter((id) => id !== group);
  state.delete("expand");
  for (const id of open ? [...others, group] : others) state.append("expand", id);
  saveState();
  loadMap();
}

// The top-down view opens on its upper bands at reading size; a small map is fitted whole.
function openingView(view) {
  network.fit({ animation: false });
  if (!view || network.getScale() >= READING_SCALE) return;
  const box = document.getElementById("map").getBoundingClientRect();
  const scale = Math.min(1.1, box.width / (view.right - view.left));
  network.moveTo({ scale, animation: false,
    position: { x: (view.left + view.right) / 2, y: view.top + box.height / (2 * scale) } });
}

function drawBands(ctx, bands) {
  ctx.save();
  ctx.font = "600 15px system-ui, sans-serif";
  ctx.fillStyle = "#9e9e9e";
  for (const band of bands) ctx.fillText(band.label, band.x, band.y - 42);
  ctx.restore();
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
  box.replaceChildren(el("summary", "Legend: colours, shapes and lines (solid formal, dashed soft)"), el("ul"));
  box.querySelector("ul").append(...items);
}

function centreOn(id) {
  if (!network || !network.body.data.nodes.get(id)) return;
  network.selectNodes([id]);
  network.focus(id, { scale: Math.max(network.getScale(), 0.8), animation: false });
}

// Dim everything but `litNodes` and `litEdges` (edge ids); `marks` override a node's look.
function highlight(litNodes, litEdges, marks) {
  if (!network) return;
  const nodes = network.body.data.nodes;
  const edges = network.body.data.edges;
  nodes.update(nodes.getIds().map((id) => {
    const base = original.nodes.get(id);
    const lit = litNodes.has(id);
    // lit labels drawn large, so a chain fitted to the window still reads
    const look = { id, color: lit ? base.color : FADED, size: lit ? 18 : base.size,
      font: lit ? { color: "#212121", size: 20 } : { color: "#bdbdbd", size: 14 }, label: base.label, borderWidth: 1 };
    return { ...look, ...((marks && marks.get(id)) || {}) };
  }));
  edges.update(edges.getIds().map((id) => {
    const base = original.edges.get(id);
    const lit = litEdges.has(id);
    const full = typeof base.color === "object" ? { color: base.color.color, opacity: 1 } : base.color;
    return { id, color: lit ? full : FADED, width: lit ? Math.max(4, base.width * 2) : base.width };
  }));
  document.body.dataset.focus = "yes";
}

function clearFocus() {
  if (!network) return;
  const nodes = network.body.data.nodes;
  const edges = network.body.data.edges;
  nodes.update(nodes.getIds().map((id) => ({ id, ...original.nodes.get(id) })));
  edges.update(edges.getIds().map((id) => ({ id, ...original.edges.get(id) })));
  document.body.dataset.focus = "no";
}

// The chain's bodies and hops lit, plus the selected node's neighbours to the chosen depth.
function focusOnChain(id, chain) {
  if (!network || !network.body.data.nodes.get(id)) return;
  const onChain = new Set([id]);
  const hops = new Set();
  if (chain) {
    for (const ref of [chain.subject, ...chain.leads, ...chain.bodies, ...chain.tops]) onChain.add(ref.id);
    for (const path of chain.paths) {
      for (const hop of path.hops) {
        onChain.add(hop.lower.id);
        onChain.add(hop.upper.id);
        hops.add(edgeKey(hop.evidence.source, hop.evidence.type, hop.evidence.target));
      }
    }
    for (const lead of chain.lead_evidence) hops.add(edgeKey(lead.source, lead.type, lead.target));
  }
  const around = new Set([id]);
  let frontier = [id];
  const depth = Number(document.getElementById("focus-depth").value || 1);
  for (let step = 0; step < depth; step += 1) {
    const next = [];
    for (const node of frontier) {
      for (const other of network.getConnectedNodes(node)) if (!around.has(other)) { around.add(other); next.push(other); }
    }
    frontier = next;
  }
  const litEdges = new Set();
  for (const edge of network.body.data.edges.get()) {
    const key = edgeKey(edge.from, edge.relType, edge.to);
    if (hops.has(key) || (around.has(edge.from) && around.has(edge.to) && (edge.from === id || edge.to === id))) litEdges.add(edge.id);
  }
  const marks = new Map();
  for (const node of hops.size ? onChain : []) marks.set(node, { borderWidth: 3 });
  highlight(new Set([...onChain, ...around]), litEdges, marks);
  return [...onChain];
}

// Bring `ids` into view together (a chain from its subject to the top), no closer than 1:1.
function show(ids) {
  const present = ids.filter((id) => original.nodes.has(id));
  if (!present.length) return;
  network.fit({ nodes: present, animation: false });
  if (network.getScale() > 1) network.moveTo({ scale: 1, animation: false });
}

// ---- the panel -----------------------------------------------------------

async function select(id, options) {
  const token = claim();
  state.set("selected", id);
  saveState();
  if (options && options.centre) centreOn(id);
  const panel = document.getElementById("panel");
  panel.replaceChildren(el("p", "Loading…"));
  const asAt = asAtQuery();
  const quiet = (promise) => promise.catch((error) => ({ error: error.message }));
  // the findings can be slow on a large graph: the panel and the focus do not wait for them
  const gapsAsked = quiet(getJSON(`/analysis/gaps?entity=${encodeURIComponent(id)}${asAt}`));
  const overlapsAsked = quiet(getJSON(`/analysis/duplication?entity=${encodeURIComponent(id)}${asAt}`));
  try {
    const [detail, chain] = await Promise.all([
      getJSON(`/entities/${encodeURIComponent(id)}`),
      quiet(getJSON(`/accountability?for=${encodeURIComponent(id)}${asAt}`)),
    ]);
    if (!current(token)) return; // a later click or search owns the panel now
    const gapBox = el("div", null, { id: "gaps-section" });
    const overlapBox = el("div", null, { id: "overlaps-section" });
    gapBox.append(el("h3", "Gaps and findings"), el("p", "Loading…"));
    overlapBox.append(el("h3", "Overlaps"), el("p", "Loading…"));
    panel.replaceChildren(...details(detail), ...chainSection(chain), gapBox, overlapBox, ...relationSection(detail));
    const lit = focusOnChain(id, chain.error ? null : chain);
    if (options && options.centre && lit) show(lit);
    if (!document.getElementById("whatif").hidden && detail.entity.kind === "body") {
      document.getElementById("whatif-body").value = id;
    }
    const [gaps, overlaps] = await Promise.all([gapsAsked, overlapsAsked]);
    if (!current(token)) return;
    gapBox.replaceChildren(...gapSection(gaps));
    overlapBox.replaceChildren(...overlapSection(overlaps, id));
    panel.dataset.entity = id; // complete
  } catch (error) {
    if (current(token)) panel.replaceChildren(el("p", error.message, { class: "error" }));
  }
}

function entityLink(ref) {
  const link = el("a", ref.name, { class: "entity", "data-id": ref.id });
  link.addEventListener("click", () => select(ref.id, { centre: true }));
  return link;
}

// Quotes, each shown once: a quote already on the panel is noted, not repeated.
function evidence(sources, seen) {
  return sources.map((source) => {
    if (source.kind === "reference") {
      const cited = el("blockquote", source.citation, { class: "reference" });
      cited.append(el("div", `reference layer · ${source.url}`, { class: "doc" }));
      return cited;
    }
    if (seen && seen.has(source.excerpt)) return el("div", `(same quote as above: ${source.title})`, { class: "repeat" });
    if (seen) seen.add(source.excerpt);
    const quote = el("blockquote", `“${source.excerpt}”`);
    const where = [source.title, source.locator].filter(Boolean).join(" · ");
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

// What it is, with its sources grouped by document title.
function details(detail) {
  const entity = detail.entity;
  const out = [el("h2", entity.name, { id: "entity-name" }),
    el("p", [entity.kind, entity.type, entity.status && `assessed: ${entity.status.replaceAll("_", " ")}`,
      entity.valid_to && `ends ${entity.valid_to}`].filter(Boolean).join(" · "), { class: "meta" })];
  if (entity.aliases.length) out.push(el("p", `Also: ${entity.aliases.join(", ")}`, { class: "meta" }));
  if (entity.description) out.push(el("p", entity.description));
  if (entity.requires) out.push(el("p", `Requires: ${entity.requires}`));
  const focus = el("button", "Show only its neighbourhood", { type: "button", id: "show-neighbourhood" });
  focus.addEventListener("click", () => { state.set("focus", entity.id); state.set("depth", "2"); saveState(); loadMap(); });
  out.push(focus);
  if (entity.sources.length) {
    const byTitle = new Map();
    for (const source of entity.sources) {
      const title = source.title || source.citation || source.document || "source";
      if (!byTitle.has(title)) byTitle.set(title, []);
      byTitle.get(title).push(source);
    }
    const list = el("ul", null, { id: "entity-sources" });
    for (const [title, sources] of byTitle) {
      const item = el("li");
      item.append(el("strong", title), ...evidence(sources, new Set()));
      list.append(item);
    }
    out.push(el("h3", "Sources"), list);
  }
  if (entity.facts.length) {
    const list = el("ul");
    for (const fact of entity.facts) {
      list.append(el("li", `${fact.measure}: ${fact.value}${fact.total ? " of " + fact.total : ""} ${fact.unit}`));
    }
    out.push(el("h3", "Facts the documents state"), list);
  }
  return out;
}

function hopEvidence(hop) {
  const source = hop.evidence.sources[0];
  if (!source) return el("div", "no source recorded", { class: "hop-evidence" });
  const text = source.kind === "reference" ? `${source.citation} (reference layer)`
    : `${source.title}${source.locator ? " · " + source.locator : ""}: “${source.excerpt}”`;
  return el("div", text, { class: "hop-evidence" });
}

// The chain, hop by hop: who answers to whom, how strongly, and the evidence for it.
function chainSection(chain) {
  if (chain.error) return [el("h3", "Accountability chain"), el("p", chain.error, { class: "error" })];
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
    item.append(entityLink(path.start), el("span", ` — ${path.standing.replaceAll("_", " ")}`, { class: "meta" }));
    const hops = el("ul", null, { class: "hops" });
    for (const hop of path.hops) {
      const row = el("li", null, { class: "hop" });
      const marks = [hop.strength, hop.evidence.confidence === "inferred" && "inferred",
        hop.evidence.basis === "reference" && "reference"].filter(Boolean);
      row.append(entityLink(hop.lower), ` ${hop.reads} `, entityLink(hop.upper), el("em", ` (${marks.join(", ")})`), hopEvidence(hop));
      hops.append(row);
    }
    item.append(hops);
    list.append(item);
  }
  out.push(list);
  for (const flag of chain.flags) out.push(el("p", `⚑ ${flag.code}: ${flag.message}`, { class: "flag" }));
  return out;
}

function gapSection(gaps) {
  if (gaps.error) return [el("h3", "Gaps and findings"), el("p", gaps.error, { class: "error" })];
  const list = el("ul", null, { id: "gaps" });
  for (const gap of gaps.items) {
    const who = gap.assessed_by.length ? ` (${gap.assessed_by.map((a) => a.name).join(", ")}, ${(gap.assessed_on || "").slice(0, 4)})` : "";
    list.append(el("li", `${gap.severity} · ${gap.basis} · ${gap.kind.replaceAll("_", " ")}: ${gap.message}${who}`, { class: `sev-${gap.severity}` }));
  }
  if (!gaps.items.length) list.append(el("li", "None found."));
  return [el("h3", `Gaps and findings (${gaps.total})`), list];
}

function overlapSection(overlaps, id) {
  if (overlaps.error) return [el("h3", "Overlaps"), el("p", overlaps.error, { class: "error" })];
  const list = el("ul", null, { id: "overlaps" });
  for (const finding of overlaps.items) {
    const item = el("li", `${finding.kind.replaceAll("_", " ")} (${finding.basis}): ${finding.title}. `);
    const others = finding.entities.filter((ref) => ref.id !== id);
    if (others.length) {
      item.append("With ");
      others.forEach((ref, i) => item.append(i ? ", " : "", entityLink(ref)));
      item.append(". ");
    }
    item.append(finding.explanation);
    list.append(item);
  }
  if (!overlaps.items.length) list.append(el("li", "None found."));
  return [el("h3", `Overlaps (${overlaps.total})`), list];
}

// Relations grouped by how they read, confidence marked, repeated quotes collapsed.
function relationSection(detail) {
  const groups = new Map();
  for (const relation of detail.relations) {
    if (!groups.has(relation.reads)) groups.set(relation.reads, []);
    groups.get(relation.reads).push(relation);
  }
  const box = el("div", null, { id: "relations" });
  const seen = new Set();
  for (const [reads, relations] of groups) {
    const list = el("ul");
    for (const relation of relations) {
      const item = el("li");
      item.append(`${reads} `, entityLink(relation.other), el("em", ` (${relation.relation.confidence})`));
      item.append(...evidence(relation.relation.sources.slice(0, 1), seen));
      list.append(item);
    }
    box.append(el("h4", `${reads} (${relations.length})`), list);
  }
  return [el("h3", `Relations (${detail.relations.length})`), box];
}

// ---- search --------------------------------------------------------------

function showResults(rows) {
  const box = document.getElementById("results");
  box.replaceChildren(...rows);
  box.hidden = rows.length === 0;
  document.getElementById("q").setAttribute("aria-expanded", String(!box.hidden));
}

function tooLong(query) {
  if (query.length <= MAX_SEARCH) return false;
  showResults([el("li", `Searches are limited to ${MAX_SEARCH} characters; this one has ${query.length}.`, { class: "message", id: "search-message" })]);
  return true;
}

async function suggest(query) {
  const token = ++suggest.latest;
  if (!query.trim()) { showResults([]); return []; }
  if (tooLong(query)) return [];
  let found;
  try {
    found = await getJSON(`/entities?q=${encodeURIComponent(query)}&limit=8`);
  } catch (error) {
    if (token === suggest.latest) showResults([el("li", error.message, { class: "message" })]);
    return [];
  }
  if (token !== suggest.latest) return found.items; // a newer keystroke owns the list
  const rows = found.items.map((item) => {
    const row = el("li", item.name, { "data-id": item.id, role: "option" });
    row.append(el("small", ` ${item.kind}${item.type ? " · " + item.type.replaceAll("_", " ") : ""}`));
    row.addEventListener("mousedown", (event) => { event.preventDefault(); choose(item.id); });
    return row;
  });
  showResults(rows.length ? rows : [el("li", "Nothing matches", { class: "message" })]);
  return found.items;
}
suggest.latest = 0;

function choose(id) {
  showResults([]);
  select(id, { centre: true });
}

function moveActive(step) {
  const rows = [...document.querySelectorAll("#results li[data-id]")];
  if (!rows.length) return;
  const at = rows.findIndex((row) => row.classList.contains("active"));
  const next = (at + step + rows.length) % rows.length;
  rows.forEach((row, i) => row.classList.toggle("active", i === next));
  rows[next].scrollIntoView({ block: "nearest" });
}

document.getElementById("q").addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown") { event.preventDefault(); moveActive(1); }
  if (event.key === "ArrowUp") { event.preventDefault(); moveActive(-1); }
  if (event.key === "Escape") showResults([]);
  if (event.key === "Enter") {
    const active = document.querySelector("#results li.active[data-id]");
    if (active) { event.preventDefault(); choose(active.dataset.id); }
  }
});

let typing = null;
document.getElementById("q").addEventListener("input", (event) => {
  clearTimeout(typing);
  typing = setTimeout(() => suggest(event.target.value), 120);
});

document.getElementById("search").addEventListener("submit", async (event) => {
  event.preventDefault();
  clearTimeout(typing);
  const token = claim();
  const items = await suggest(document.getElementById("q").value);
  if (!current(token) || !items.length) return; // a click since the search wins
  choose(items[0].id);
});

// ---- filters, as-at date, link -------------------------------------------

function showActiveFilters() {
  const box = document.getElementById("active-filters");
  const active = FILTERS.filter((name) => state.get(name));
  if (!active.length) { box.replaceChildren(); return; }
  box.replaceChildren("Showing only: ");
  for (const name of active) {
    const chip = el("span", `${FILTER_NAMES[name]} = ${state.get(name).replaceAll("_", " ")}`, { class: "chip", "data-filter": name });
    const remove = el("button", "×", { type: "button", "aria-label": `remove the ${FILTER_NAMES[name]} filter` });
    remove.addEventListener("click", () => {
      state.delete(name);
      const control = document.querySelector(`[data-param="${name}"]`);
      if (control) control.value = "";
      saveState();
      loadMap();
    });
    chip.append(remove, " ");
    box.append(chip);
  }
}

// Every select's choices from one source, keyed by the query parameter the select fills.
async function fillFilters() {
  let problem = null;
  try {
    const vocabularies = await getJSON("/render/vocabularies.json");
    for (const select of document.querySelectorAll("select[data-param]")) {
      for (const choice of vocabularies[select.dataset.param]) select.append(el("option", choice.label, { value: choice.value }));
    }
  } catch (error) {
    problem = el("p", `The filters' choices could not load: ${error.message}`, { class: "error", id: "filters-error" });
  }
  for (const control of document.querySelectorAll("[data-param]")) {
    control.value = state.get(control.dataset.param) || "";
    control.addEventListener("change", () => {
      if (control.value) state.set(control.dataset.param, control.value); else state.delete(control.dataset.param);
      saveState();
      loadMap();
    });
  }
  showActiveFilters();
  if (problem) document.getElementById("active-filters").prepend(problem);
}

document.getElementById("reset").addEventListener("click", () => {
  for (const name of [...FILTERS, "expand"]) state.delete(name);
  saveState();
  for (const control of document.querySelectorAll("[data-param]")) control.value = "";
  loadMap();
});

document.getElementById("layout").addEventListener("click", () => {
  if (state.get("layout") === "free") state.delete("layout"); else state.set("layout", "free");
  saveState();
  loadMap();
});

document.getElementById("focus-depth").addEventListener("change", () => {
  if (state.get("selected") && document.body.dataset.focus === "yes") select(state.get("selected"));
});

document.getElementById("copy-link").addEventListener("click", async () => {
  const status = document.getElementById("copy-status");
  try {
    await navigator.clipboard.writeText(window.location.href);
    status.textContent = "Link copied";
  } catch (error) {
    status.textContent = `Copy this link: ${window.location.href}`;
  }
});

// ---- what if -------------------------------------------------------------

function fillBodyChoices(nodes) {
  const bodies = nodes.filter((node) => node.kind === "body").sort((a, b) => a.name.localeCompare(b.name));
  for (const id of ["whatif-body", "whatif-other"]) {
    const select = document.getElementById(id);
    const keep = select.value;
    select.replaceChildren(...bodies.map((node) => el("option", node.name, { value: node.id })));
    if (keep) select.value = keep;
  }
}

function scenarioFromForm() {
  const op = document.getElementById("whatif-op").value;
  const body = document.getElementById("whatif-body");
  const other = document.getElementById("whatif-other").value;
  const name = body.options[body.selectedIndex] ? body.options[body.selectedIndex].text : body.value;
  const operation = op === "abolish" ? { op, body: body.value }
    : op === "merge" ? { op, source: body.value, into: other } : { op, body: body.value, to: other };
  return { name: `${op} ${name}`.slice(0, 200), operations: [operation] };
}

function diffList(title, id, rows) {
  const list = el("ul", null, { id });
  list.append(...(rows.length ? rows : [el("li", "none")]));
  return [el("h4", `${title} (${rows.length})`), list];
}

// A gap id ("kind:entity-id") as words: the kind, then the entity's name when it is on the map.
function gapName(gap) {
  const [kind, id] = gap.split(":", 2);
  const node = mapData && mapData.nodes.find((item) => item.id === id);
  return `${kind.replaceAll("_", " ")}: ${node ? node.name : id}`;
}

function showDiff(diff, operation) {
  const subject = operation.body || operation.source;
  const chainRows = diff.chains.map((change) => {
    const item = el("li", null, { class: `mark-${change.change}` });
    item.append(entityLink(change.subject), `: ${change.change.replaceAll("_", " ")}`);
    if (change.flags_added.length) item.append(` (+ ${change.flags_added.join(", ")})`);
    if (change.flags_removed.length) item.append(` (− ${change.flags_removed.join(", ")})`);
    return item;
  });
  const orphanRows = diff.orphaned.map((orphan) => {
    const item = el("li");
    item.append(entityLink(orphan.holder), ` ${orphan.type.toLowerCase().replaceAll("_", " ")} `, entityLink(orphan.target), " — left with no owner");
    return item;
  });
  const metricRows = Object.entries(diff.metrics_changed).map(([name, [before, after]]) => el("li", `${name.replaceAll("_", " ")}: ${before} → ${after}`));
  document.getElementById("whatif-result").replaceChildren(
    el("p", diff.summary, { id: "whatif-summary" }),
    ...diffList("Chains that change", "whatif-chains", chainRows),
    ...diffList("Gaps opened", "whatif-gaps-opened", diff.gaps_opened.map((gap) => el("li", gapName(gap)))),
    ...diffList("Gaps closed", "whatif-gaps-closed", diff.gaps_closed.map((gap) => el("li", gapName(gap)))),
    ...diffList("Responsibilities left with no owner", "whatif-orphaned", orphanRows),
    ...diffList("Measures", "whatif-metrics", metricRows),
    el("p", "On the map: the changed body outlined in black, chains that break in red, chains that heal in green, what loses its owner in orange; the rest dimmed.", { class: "meta" }));
  // on the map: what the change touches lit and marked, the rest dimmed
  const marks = new Map();
  const mark = (id, colour) => marks.set(id, { color: { background: original.nodes.get(id)?.color || "#9e9e9e", border: colour }, borderWidth: 5 });
  for (const orphan of diff.orphaned) mark(orphan.target.id, "#ef6c00");
  for (const change of diff.chains) mark(change.subject.id, change.change === "heals" ? "#2e7d32" : change.change === "flags_changed" ? "#8e24aa" : "#b71c1c");
  if (original.nodes.has(subject)) {
    marks.set(subject, { color: { background: "#ffffff", border: "#000000" }, borderWidth: 5,
      label: `✕ ${original.nodes.get(subject).label}` });
  }
  for (const other of [operation.into, operation.to]) if (other && original.nodes.has(other)) mark(other, "#000000");
  const lit = new Set([...marks.keys()].filter((id) => original.nodes.has(id)));
  highlight(lit, new Set(), marks);
  show([...lit]);
  document.body.dataset.whatif = "shown";
}

document.getElementById("whatif-open").addEventListener("click", () => {
  const box = document.getElementById("whatif");
  box.hidden = !box.hidden;
  const selected = state.get("selected");
  if (!box.hidden && selected && original.nodes.has(selected)) document.getElementById("whatif-body").value = selected;
});

document.getElementById("whatif-op").addEventListener("change", (event) => {
  const op = event.target.value;
  document.getElementById("whatif-other-label").hidden = op === "abolish";
  document.getElementById("whatif-other-word").textContent = op === "merge" ? "into" : "to";
});

document.getElementById("whatif-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = document.getElementById("whatif-result");
  const scenario = scenarioFromForm();
  result.replaceChildren(el("p", "Working it out…"));
  try {
    const diff = await getJSON("/scenarios", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(scenario) });
    showDiff(diff, scenario.operations[0]);
  } catch (error) {
    result.replaceChildren(el("p", `The scenario could not run: ${error.message}`, { class: "error", id: "whatif-error" }));
  }
});

document.getElementById("whatif-clear").addEventListener("click", () => {
  document.getElementById("whatif-result").replaceChildren();
  document.body.dataset.whatif = "";
  clearFocus();
});

// ---- questions about the whole map: gaps, overlaps, recommendations -------

const VIEWS = { gaps: gapsView, overlaps: overlapsView, recommendations: recommendationsView };
const VIEW_NAMES = { gaps: "The gaps", overlaps: "The overlaps", recommendations: "The recommendations" };

// An item a reviewer can click, or reach with Tab and open with Enter; links inside keep their own click.
function clickable(node, action) {
  node.classList.add("item");
  node.tabIndex = 0;
  const run = (event) => { if (!event.target.closest("a")) action(); };
  node.addEventListener("click", run);
  node.addEventListener("keydown", (event) => { if (event.key === "Enter") run(event); });
  return node;
}

// Light `ids` (and the lines between them) on the map, dim the rest, and bring them into view.
function focusOn(ids) {
  if (!network) return;
  const lit = new Set(ids.filter((id) => original.nodes.has(id)));
  const litEdges = new Set(network.body.data.edges.get().filter((edge) => lit.has(edge.from) && lit.has(edge.to)).map((edge) => edge.id));
  highlight(lit, litEdges, new Map([...lit].map((id) => [id, { borderWidth: 3 }])));
  show([...lit]);
}

async function showView(name) {
  if (!VIEWS[name]) name = "gaps";
  const token = ++showView.latest;
  const box = document.getElementById("question-view");
  document.getElementById("questions").hidden = false;
  for (const tab of document.querySelectorAll("#questions [role=tab]")) tab.setAttribute("aria-selected", String(tab.dataset.view === name));
  state.set("view", name);
  saveState();
  box.dataset.view = "";
  box.replaceChildren(el("p", "Loading…"));
  try {
    const shown = await VIEWS[name]();
    if (token !== showView.latest) return; // a newer tab or date owns the view
    box.replaceChildren(...shown);
    box.dataset.view = name; // complete
  } catch (error) {
    if (token === showView.latest) box.replaceChildren(el("p", `${VIEW_NAMES[name]} could not load: ${error.message}`, { class: "error", id: "view-error" }));
  }
}
showView.latest = 0;

function whoSaid(gap) {
  if (gap.basis !== "stated") return "derived by govmap's rules from the map";
  const who = gap.assessed_by.map((ref) => ref.name).join(", ") || "the documents";
  return `stated by ${who}${gap.assessed_on ? `, ${gap.assessed_on.slice(0, 4)}` : ""}`;
}

// Every gap, most severe first (the API's order), with who stated it and when.
async function gapsView() {
  const gaps = await getJSON(`/analysis/gaps?limit=500${asAtQuery()}`);
  const list = el("ol", null, { id: "view-gaps" });
  for (const gap of gaps.items) {
    const item = clickable(el("li", null, { "data-id": gap.entity.id }), () => select(gap.entity.id, { centre: true }));
    item.append(el("span", gap.severity, { class: `sev-${gap.severity}` }), " ", el("strong", gap.entity.name),
      ` — ${words(gap.kind)}: ${gap.message}`, el("div", whoSaid(gap), { class: "doc who" }));
    list.append(item);
  }
  const bySeverity = ["high", "medium", "low"].map((level) => `${gaps.items.filter((gap) => gap.severity === level).length} ${level}`);
  const partial = gaps.items.length < gaps.total ? `; the first ${gaps.items.length} shown` : "";
  return [el("p", `${gaps.total} gaps (${bySeverity.join(", ")}${partial}), most severe first. Click one to focus its entity.`, { class: "meta" }), list];
}

function pairsOf(refs) {
  const pairs = [];
  refs.forEach((one, i) => refs.slice(i + 1).forEach((other) => pairs.push([one, other])));
  return pairs.length ? pairs : [refs];
}

// Each duplication finding as the pairs of its members, with what they share and why.
async function overlapsView() {
  const found = await getJSON(`/analysis/duplication?limit=500${asAtQuery()}`);
  const head = el("tr");
  head.append(el("th", "Pair"), el("th", "What they share"), el("th", "Why"));
  const thead = el("thead");
  thead.append(head);
  const rows = el("tbody");
  for (const finding of found.items) {
    for (const pair of pairsOf(finding.entities)) {
      const ids = [...pair.map((ref) => ref.id), ...(finding.object ? [finding.object.id] : [])];
      const row = clickable(el("tr", null, { "data-ids": ids.join(" ") }), () => focusOn(ids));
      const members = el("td");
      pair.forEach((ref, i) => members.append(i ? " and " : "", entityLink(ref)));
      const shared = el("td");
      shared.append(el("strong", words(finding.kind)), `: ${finding.title}`);
      if (finding.object) shared.append(" (", entityLink(finding.object), ")");
      row.append(members, shared, el("td", finding.explanation));
      rows.append(row);
    }
  }
  const table = el("table", null, { id: "view-overlaps" });
  table.append(thead, rows);
  return [el("p", `${found.total} findings as ${rows.children.length} rows. Click a row to light the pair on the map.`, { class: "meta" }), table];
}

// The streamlining report's recommendations: title, priority, who should act, and its rows.
async function recommendationsView() {
  const report = await getJSON("/reports/streamlining?format=json");
  const box = el("div", null, { id: "view-recommendations" });
  for (const rec of report.recommendations) {
    const item = el("article", null, { class: "recommendation", "data-id": rec.id });
    const title = clickable(el("h4", `${rec.number}. ${rec.title}`), () => focusOn(rec.entities.map((ref) => ref.id)));
    const meta = el("p", null, { class: "meta" });
    meta.append(el("span", `${rec.priority} priority`, { class: `sev-${rec.priority}` }), ` · ${rec.timescale} · ${rec.confidence}`);
    const who = el("p", "Who should act: ", { class: "who" });
    rec.addressees.forEach((ref, i) => who.append(i ? ", " : "", entityLink(ref)));
    if (!rec.addressees.length) who.append("not named");
    const rows = el("ul", null, { class: "rows" });
    for (const row of rec.rows) {
      const line = clickable(el("li", null, { "data-id": row.subject.id }), () => select(row.subject.id, { centre: true }));
      line.append(el("strong", row.subject.name), `: ${row.detail}`);
      if (row.owners.length) line.append(el("span", ` (owner: ${row.owners.map((ref) => ref.name).join(", ")})`, { class: "doc" }));
      rows.append(line);
    }
    const more = el("details");
    more.open = rec.rows.length <= 3;
    more.append(el("summary", `${rec.rows.length} rows`), rows);
    item.append(title, meta, who, el("p", `What to do: ${rec.action}. ${rec.rationale}`), more);
    box.append(item);
  }
  return [el("p", `${report.recommendations.length} recommendations, by priority. Click a title to light what it is about, a row to focus it.`, { class: "meta" }), box];
}

document.getElementById("questions-open").addEventListener("click", () => {
  const box = document.getElementById("questions");
  if (box.hidden) { showView(state.get("view") || "gaps"); return; }
  box.hidden = true;
  state.delete("view");
  saveState();
});

for (const tab of document.querySelectorAll("#questions [role=tab]")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
}

fillFilters().then(loadMap);
