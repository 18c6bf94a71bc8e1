// The bell's unread count is fetched after the page loads, so that rendering a page costs no
// query for it (list pages keep a fixed query budget).
(function () {
  "use strict";
  var bell = document.getElementById("notification-bell");
  if (!bell || !window.fetch) return;
  fetch(bell.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data || !data.unread) return;
      var badge = document.createElement("span");
      badge.className = "badge text-bg-danger ms-1";
      badge.id = "notification-count";
      badge.textContent = String(data.unread);
      bell.appendChild(badge);
    })
    .catch(function () {});
})();
