// A list's filters sit folded behind one button on a phone; on a wider screen there is room to show
// them at once. Without JavaScript they stay folded everywhere (one tap to open).
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 768px)").matches) return;
  document.querySelectorAll("details[data-filter-box]").forEach(function (box) { box.open = true; });
})();
