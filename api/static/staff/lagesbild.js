// Lägesbild: draws the charts and the area map from the page's JSON data block (no inline script, no requests).
// Every chart has the same figures as a table next to it, so nothing depends on seeing the canvas.
"use strict";

(function lagesbild() {
  const source = document.getElementById("lagesbild-data");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const printing = document.body.classList.contains("report");
  const palette = ["#00507a", "#b34700", "#1e6b32", "#6a3d9a", "#a4161a", "#4a4a4a", "#8a6d00", "#0b7285"];

  function bar(id, labels, datasets, options) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    // eslint-disable-next-line no-new
    new Chart(canvas, {
      type: (options && options.type) || "bar",
      data: {
        labels: labels,
        datasets: datasets.map((set, i) => ({
          label: set.label, data: set.data, backgroundColor: set.color || palette[i % palette.length],
          borderColor: set.color || palette[i % palette.length], borderWidth: 1,
        })),
      },
      options: {
        animation: printing ? false : undefined,
        responsive: true, maintainAspectRatio: false,
        indexAxis: (options && options.horizontal) ? "y" : "x",
        scales: (options && options.scales) || { y: { beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { display: datasets.length > 1, labels: { color: "#1b1b1b" } } },
      },
    });
  }

  if (data.themes) {
    bar("chart-themes", data.themes.labels, [
      { label: data.themes.current_label, data: data.themes.current, color: palette[0] },
      { label: data.themes.previous_label, data: data.themes.previous, color: "#9aa5b1" },
    ], { horizontal: true, scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } });
  }
  if (data.time_of_day) {
    bar("chart-time", data.time_of_day.labels, [{ label: "Ärenden", data: data.time_of_day.counts }]);
  }
  if (data.weekday) {
    bar("chart-weekday", data.weekday.labels, [{ label: "Ärenden", data: data.weekday.counts, color: palette[2] }]);
  }
  if (data.trend && data.trend.series.length) {
    bar("chart-trend", data.trend.labels, data.trend.series, { type: "line" });
  }

  const mapBox = document.getElementById("karta");
  if (mapBox && data.map && typeof L !== "undefined" && data.map.features.length) {
    // No tile server: only the municipality's own area polygons are drawn.
    const map = L.map(mapBox, { attributionControl: false, zoomSnap: 0.25, keyboard: true });
    const max = Math.max(1, ...data.map.features.map((f) => f.properties.count || 0));
    const layer = L.geoJSON(data.map, {
      style: (feature) => {
        const share = (feature.properties.count || 0) / max;
        return { color: "#1b1b1b", weight: 1, fillColor: "#00507a", fillOpacity: 0.1 + 0.75 * share };
      },
      onEachFeature: (feature, shape) => {
        shape.bindTooltip(feature.properties.label, { sticky: true });
      },
    }).addTo(map);
    map.fitBounds(layer.getBounds(), { padding: [8, 8] });
  }

  const printButton = document.getElementById("skriv-ut");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", () => window.print());
  }
})();
