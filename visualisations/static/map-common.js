// What every govmap map page shares, the explorer and the standalone renders alike (the
// renders inline this file, so a saved page needs no network).
"use strict";

// Tooltips arrive as HTML the server built from html.escape()d strings; vis-network
// shows an Element as it is.
function asElement(item) {
  if (typeof item.title === "string") {
    const box = document.createElement("div");
    box.innerHTML = item.title;
    item.title = box;
  }
  return item;
}

// An aggregated map (more entities than a browser draws well) sends its lines between
// groups as counts by relation type, without tooltips, to stay small: each tooltip is
// written here, as text, from the names of the line's ends.
function titleLines(data) {
  if (!data.aggregate) return;
  const names = new Map(data.nodes.map((node) => [node.id, node.name]));
  for (const edge of data.edges) {
    if (edge.title !== undefined || !edge.counts) continue;
    const box = document.createElement("div");
    const ends = document.createElement("b");
    ends.textContent = `${names.get(edge.from)} → ${names.get(edge.to)}`;
    const counts = Object.entries(edge.counts)
      .map(([type, n]) => `${n.toLocaleString("en-GB")} ${data.aggregate.reads[type] || type}`).join(", ");
    box.append(ends, document.createElement("br"),
      `${edge.count.toLocaleString("en-GB")} line${edge.count > 1 ? "s" : ""}: ${counts}`);
    edge.title = box;
  }
}

// The address of this page with `group` expanded too (or, with `collapse`, without it).
function expandedAddress(group, collapse) {
  const url = new URL(window.location.href);
  const open = url.searchParams.getAll("expand").filter((id) => id !== group);
  url.searchParams.delete("expand");
  for (const id of collapse ? open : [...open, group]) url.searchParams.append("expand", id);
  return url;
}
