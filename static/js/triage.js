/* The officer's triage of a ToT's proposals (#14): per-KPMI select all / none, and the seats left as
   boxes are ticked. An enhancement only: without it the officer ticks boxes one by one and the
   server refuses a send that would not fit. No inline script (CSP). */
(function () {
  "use strict";
  var form = document.getElementById("send-form");
  var seats = document.getElementById("seats-left");
  if (!form || !seats) { return; }
  var capacity = parseInt(seats.getAttribute("data-capacity"), 10) || 0;
  var taken = parseInt(seats.getAttribute("data-taken"), 10) || 0;
  var left = document.getElementById("seats-left-n");
  var chosen = document.getElementById("chosen-n");
  var over = document.getElementById("seats-over");
  var boxes = function (root) {
    return Array.prototype.slice.call(root.querySelectorAll('input[type="checkbox"][name="invitations"]'));
  };
  var update = function () {
    var n = boxes(document).filter(function (box) { return box.checked; }).length;
    var remaining = capacity - taken - n;
    left.textContent = String(Math.max(remaining, 0));
    chosen.textContent = String(n);
    over.hidden = remaining >= 0;
  };
  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (node) {
    if (node.id !== "seats-over") { node.hidden = false; }
  });
  document.addEventListener("change", function (event) {
    if (event.target.name === "invitations") { update(); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("button[data-select]"), function (button) {
    button.addEventListener("click", function () {
      var group = button.closest("details");
      var on = button.getAttribute("data-select") === "all";
      boxes(group).forEach(function (box) { box.checked = on; });
      update();
    });
  });
  update();
})();
