// Charts of the dashboard, drawn from the JSON the page carries (no inline script).
document.addEventListener("DOMContentLoaded", () => {
  const data = document.getElementById("chart-data");
  if (!data || typeof Chart === "undefined") return;
  const charts = JSON.parse(data.textContent);
  const bar = (id, series, colour) => {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    new Chart(canvas, {type: "bar", data: {labels: series.labels,
      datasets: [{data: series.values, backgroundColor: colour}]},
      options: {animation: false, plugins: {legend: {display: false}}}});
  };
  bar("chart-calls", charts.calls, "#1d4f91");
  bar("chart-statuses", charts.statuses, "#a86b3b");
});
