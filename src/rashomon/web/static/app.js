// rashomon web UI: a little progressive enhancement. Every page reads without it.
// Served from this origin only (CSP script-src 'self'); no inline script anywhere.
(function () {
  "use strict";
  // A citation shows its passage in the reader beside it, when the page has one.
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.cite") : null;
    if (!link) return;
    var pane = document.getElementById("art-" + link.getAttribute("data-article"));
    if (!pane) return; // no reader here: follow the link to the article page
    ev.preventDefault();
    var start = Number(link.getAttribute("data-start")), end = Number(link.getAttribute("data-end"));
    var first = null;
    document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
    document.querySelectorAll("a.cite.on").forEach(function (el) { el.classList.remove("on"); });
    link.classList.add("on");
    pane.querySelectorAll(".text span").forEach(function (seg) {
      if (Number(seg.getAttribute("data-s")) < end && Number(seg.getAttribute("data-e")) > start) {
        seg.classList.add("hl");
        if (!first) first = seg;
      }
    });
    (first || pane).scrollIntoView({ behavior: "smooth", block: "center" });
  });
  // Filtering the rows of a list page as one types.
  var box = document.getElementById("filter");
  if (box) {
    box.closest(".filter-js").hidden = false;
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll(".story[data-text]").forEach(function (row) {
        var text = row.getAttribute("data-text");
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }
  // The highlighted passage of an article page is scrolled into view.
  var hl = document.getElementById("hl");
  if (hl) hl.scrollIntoView({ block: "center" });
})();
