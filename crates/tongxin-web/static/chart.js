// 图表: draws the series of an element's `data-chart` with Apache ECharts (vendored, see
// echarts.LICENSE.txt). The server-drawn SVG inside the element stays as the fallback when
// scripts are off; it is hidden once the chart is drawn.
//
// data-chart = {"unit": "μg/m³", "categories": ["2023年11月", ...],
//               "series": [{"name": "PM2.5", "type": "line", "values": ["33.5", ...]}],
//               "target": {"value": "34", "label": "目标 34"}}   (target optional)
document.addEventListener("DOMContentLoaded", () => {
  if (typeof echarts === "undefined") return;
  for (const el of document.querySelectorAll("[data-chart]")) {
    let d;
    try { d = JSON.parse(el.dataset.chart); } catch { continue; }
    if (!d.categories || d.categories.length === 0) continue;
    const box = document.createElement("div");
    box.className = "echart";
    el.prepend(box);
    const chart = echarts.init(box, null, { renderer: "canvas", locale: "ZH" });
    const num = (v) => (v === null || v === "" ? null : Number(v));
    const series = d.series.map((s, i) => {
      const out = {
        name: s.name,
        type: s.type || "line",
        data: s.values.map(num),
        symbolSize: 7,
      };
      if (i === 0 && d.target) {
        out.markLine = {
          symbol: "none",
          silent: true,
          lineStyle: { type: "dashed", color: "#b42318" },
          label: { formatter: d.target.label, position: "insideEndTop" },
          data: [{ yAxis: num(d.target.value) }],
        };
      }
      return out;
    });
    const targetValue = d.target ? num(d.target.value) : null;
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", renderMode: "richText",
                 valueFormatter: (v) => (v === null ? "—" : v + " " + (d.unit || "")) },
      legend: series.length > 1 ? { top: 0 } : undefined,
      xAxis: { type: "category", data: d.categories, axisLabel: { hideOverlap: true } },
      yAxis: {
        type: "value",
        name: d.unit || "",
        // The target line is always in view.
        min: (r) => Math.min(r.min, targetValue ?? r.min, 0),
        max: (r) => Math.max(r.max, targetValue ?? r.max),
      },
      dataZoom: d.categories.length > 24 ? [{ type: "inside" }, { type: "slider", height: 18, bottom: 0 }] : [],
      series,
    });
    el.classList.add("has-echart");
    el.dataset.drawn = String(d.categories.length);
    window.addEventListener("resize", () => chart.resize());
    window.addEventListener("beforeprint", () => chart.resize());
  }
});
