// Progressive enhancement: show <time> elements in the viewer's local time (UTC without script).
document.addEventListener("DOMContentLoaded", () => {
  for (const element of document.querySelectorAll("time[datetime]")) {
    const moment = new Date(element.getAttribute("datetime"));
    if (!Number.isNaN(moment.getTime())) {
      element.title = element.textContent;
      element.textContent = moment.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
    }
  }
});

// Progressive enhancement: selecting text in the article fills the "add a claim" form with its offsets
// (counted in characters of the article body, which the page shows verbatim).
document.addEventListener("DOMContentLoaded", () => {
  const body = document.getElementById("article-body");
  const form = document.getElementById("add-claim");
  if (!body || !form) return;
  const start = form.querySelector("input[name=start]");
  const end = form.querySelector("input[name=end]");
  const preview = form.querySelector(".selection-preview");
  document.addEventListener("selectionchange", () => {
    const selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
    const range = selection.getRangeAt(0);
    if (!body.contains(range.startContainer) || !body.contains(range.endContainer)) return;
    const before = document.createRange();
    before.selectNodeContents(body);
    before.setEnd(range.startContainer, range.startOffset);
    const offset = [...before.toString()].length; // code points, as Python counts them
    start.value = offset;
    end.value = offset + [...range.toString()].length;
    preview.textContent = "Selected: “" + range.toString() + "”";
  });
});

// Keyboard shortcuts on the claim page: an element with data-key="c" is clicked (a button) or followed
// (a link) when that key is pressed, unless the reader is typing in a field.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const element = document.querySelector(`[data-key="${CSS.escape(event.key)}"]`);
  if (!element) return;
  event.preventDefault();
  element.click();
});
