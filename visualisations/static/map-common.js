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
