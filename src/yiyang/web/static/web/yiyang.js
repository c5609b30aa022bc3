// Shell behaviour: CSRF header for htmx, ECharts for every [data-chart] element.
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});

function drawCharts(root) {
  root.querySelectorAll("[data-chart]").forEach((el) => {
    const spec = JSON.parse(document.getElementById(el.dataset.chart).textContent);
    const chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 16, top: 24, bottom: 40 },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value", minInterval: 1 },
      legend: spec.series.length > 1 ? { top: 0, type: "scroll" } : undefined,
      // spec.type "line" draws a trend (gaps where a series has no value on a date).
      series: spec.series.map((s) => spec.type === "line"
        ? { ...s, type: "line", connectNulls: true, symbolSize: 8 }
        : { ...s, type: "bar", barMaxWidth: 48, itemStyle: { color: s.color || "#0b6e4f" } }),
    });
    window.addEventListener("resize", () => chart.resize());
  });
}
document.addEventListener("DOMContentLoaded", () => drawCharts(document));
document.addEventListener("htmx:afterSwap", (event) => drawCharts(event.target));
