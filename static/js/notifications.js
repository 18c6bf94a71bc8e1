// The bell's unread count is fetched after the page loads, so that rendering a page costs no
// query for it (list pages keep a fixed query budget). The count is read out too: "3 unread" sits
// beside the visually hidden "Notifications" inside the link.
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
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + (bell.dataset.unreadLabel || "unread");
      bell.appendChild(badge);
      bell.appendChild(hidden);
      bell.title = bell.title + ": " + data.unread;
    })
    .catch(function () {});
})();
