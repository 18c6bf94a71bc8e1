/* A KPMI's money page: earned income, donations and operating costs per month. The numbers come from
   a json_script block (the table beside the chart shows the same numbers); no inline script. */
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var node = document.getElementById("money-data");
  var canvas = document.getElementById("money-chart");
  if (!node || !canvas) { return; }
  var data = JSON.parse(node.textContent);
  var numbers = function (values) { return values.map(Number); };
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.earnedLabel, data: numbers(data.earned), backgroundColor: "#198754", stack: "in" },
        { label: data.donationsLabel, data: numbers(data.donations), backgroundColor: "#75b798", stack: "in" },
        { label: data.costsLabel, data: numbers(data.costs), backgroundColor: "#dc3545", stack: "out" }
      ]
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }
    }
  });
})();
