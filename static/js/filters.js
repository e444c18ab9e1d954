// On a phone the filters start folded behind their summary, so the stories come first; wide screens show them.
// A file of its own, not an inline script: the Content-Security-Policy allows scripts from the site only.
(function (panel, wide) {
  if (!panel) return;
  panel.open = wide.matches;
  wide.addEventListener("change", function (event) { if (event.matches) panel.open = true; });
})(document.getElementById("filters-panel"), window.matchMedia("(min-width: 48rem)"));
