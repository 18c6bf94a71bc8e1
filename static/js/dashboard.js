/* Dashboard: the progress bar of a running evaluation, and the two charts. No framework. */
(function () {
  "use strict";

  var bar = document.getElementById("evaluation-progress");
  if (bar) {
    var url = bar.dataset.statusUrl;
    var inner = bar.querySelector(".progress-bar");
    // The width is set here, not in a style="" attribute, which the Content-Security-Policy refuses.
    var show = function (percent) {
      inner.style.width = percent + "%";
      inner.textContent = percent + "%";
      bar.setAttribute("aria-valuenow", percent);
    };
    show(bar.getAttribute("aria-valuenow"));
    var poll = function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          show(data.percent);
          if (data.active) {
            setTimeout(poll, 1500);
          } else {
            window.location.reload();
          }
        })
        .catch(function () { setTimeout(poll, 5000); });
    };
    setTimeout(poll, 1000);
  }

  if (typeof Chart === "undefined") { return; }
  var read = function (id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  };
  var trend = read("trend-data");
  var trendCanvas = document.getElementById("trend-chart");
  if (trend && trendCanvas) {
    new Chart(trendCanvas, {
      type: "line",
      data: { labels: trend.labels, datasets: [{ label: trend.label, data: trend.values, borderColor: "#198754", tension: 0.2 }] },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }, animation: false }
    });
  }
  var kec = read("kecamatan-data");
  var kecCanvas = document.getElementById("kecamatan-chart");
  if (kec && kecCanvas) {
    // Horizontal bars, one row per kecamatan (all 42 at Garut's scale), each tall enough for its
    // name: Chart.js would otherwise skip every other label to fit, leaving bars nobody can name.
    kecCanvas.parentElement.style.height = Math.max(240, kec.labels.length * 26 + 60) + "px";
    new Chart(kecCanvas, {
      type: "bar",
      data: {
        labels: kec.labels,
        datasets: [
          { label: kec.actualLabel, data: kec.actual, backgroundColor: "#198754" },
          { label: kec.targetLabel, data: kec.target, backgroundColor: "#adb5bd" }
        ]
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { ticks: { autoSkip: false, font: { size: 11 } } }
        }
      }
    });
  }
})();
