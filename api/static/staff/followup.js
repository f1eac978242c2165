// Promise follow-up: concerns per month before and after the promise started (figures also in the table).
"use strict";

(function followUp() {
  const source = document.getElementById("uppfoljning-data");
  const canvas = document.getElementById("chart-followup");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  // eslint-disable-next-line no-new
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "Före löftet", data: data.before, backgroundColor: "#9aa5b1" },
        { label: "Efter att löftet började gälla", data: data.after, backgroundColor: "#00507a" },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { beginAtZero: true, stacked: true, ticks: { precision: 0 } } },
      plugins: { legend: { labels: { color: "#1b1b1b" } } },
    },
  });
})();
