// Clicking a citation highlights the cited characters in the article and scrolls to them.
document.addEventListener("click", function (ev) {
  var link = ev.target.closest("a.cite");
  if (!link) return;
  ev.preventDefault();
  var art = document.getElementById("art-" + link.dataset.article);
  if (!art) return;
  var start = +link.dataset.start, end = +link.dataset.end, first = null;
  document.querySelectorAll(".hl").forEach(function (el) { el.classList.remove("hl"); });
  art.querySelectorAll(".text span").forEach(function (seg) {
    if (+seg.dataset.s < end && +seg.dataset.e > start) { seg.classList.add("hl"); first = first || seg; }
  });
  (first || art).scrollIntoView({ behavior: "smooth", block: "center" });
});
