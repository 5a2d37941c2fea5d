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

// Jobs: while a listed job is queued or running, ask for its progress every second and update its row
// in place (state, progress bar, count, error in words, the retry button of a failed job).
document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector("table.jobs[data-progress-url]");
  if (!table) return;
  const unfinished = () =>
    [...table.querySelectorAll("tr.job")].filter((row) => ["queued", "running"].includes(row.dataset.jobState));
  const update = (job) => {
    const row = table.querySelector(`tr.job[data-job-id="${job.id}"]`);
    if (!row) return;
    row.dataset.jobState = job.state;
    row.querySelector(".job-state").textContent = job.state;
    const bar = row.querySelector(".job-progress");
    bar.max = job.total || 1;
    bar.value = job.state === "succeeded" && !job.total ? 1 : job.done;
    bar.textContent = job.done;
    row.querySelector(".job-count").textContent = job.total === null ? `${job.done}` : `${job.done} / ${job.total}`;
    row.querySelector(".job-error").textContent = job.error || job.shortfall || "";
    row.querySelector(".job-retry").hidden = job.state !== "failed";
  };
  const poll = async () => {
    const rows = unfinished();
    if (rows.length === 0) return;
    const ids = rows.map((row) => row.dataset.jobId).join(",");
    try {
      const response = await fetch(`${table.dataset.progressUrl}?ids=${ids}`, { headers: { Accept: "application/json" } });
      if (response.ok) (await response.json()).jobs.forEach(update);
    } finally {
      setTimeout(poll, 1000);
    }
  };
  poll();
});

// Evidence being archived (a snapshot job queued or running): every two seconds, read the claim page
// again and put its newer archive lines in place, until none says "archiving…". Only those lines change,
// so nothing the reviewer is typing is lost.
document.addEventListener("DOMContentLoaded", () => {
  const archiving = () => [...document.querySelectorAll("p.archive[data-archiving]")];
  const refresh = async () => {
    if (archiving().length === 0) return;
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      if (response.ok) {
        const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const line of archiving()) {
          const newer = fresh.querySelector(`p.archive[data-evidence-id="${line.dataset.evidenceId}"]`);
          if (newer) line.replaceWith(document.importNode(newer, true));
        }
      }
    } finally {
      setTimeout(refresh, 2000);
    }
  };
  setTimeout(refresh, 2000);
});
