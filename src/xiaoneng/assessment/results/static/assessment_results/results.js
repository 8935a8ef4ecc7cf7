// Results charts: one horizontal bar chart per ranking group, from the page's json_script data.
// No inline script (CSP): the data sits in <script type="application/json" id="results-chart">.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-results-chart]").forEach(function (box) {
    var source = document.getElementById(box.getAttribute("data-results-chart"));
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    data.groups.forEach(function (group) {
      var el = document.createElement("div");
      el.className = "xn-results-chart";
      // Bars for units, tallest first on top; the height follows the number of units.
      el.style.height = (80 + group.units.length * (18 + 10 * data.columns.length)) + "px";
      el.style.width = "100%";
      box.appendChild(el);
      var chart = echarts.init(el, null, { renderer: "svg" });
      var units = group.units.slice().reverse();
      var series = data.columns.map(function (name, index) {
        return {
          name: name, type: "bar", barMaxWidth: 18,
          label: { show: index === data.columns.length - 1, position: "right", fontSize: 11 },
          data: group.values.slice().reverse().map(function (values) {
            return values[index] === null ? null : Number(values[index]);
          })
        };
      });
      chart.setOption({
        title: { text: group.name, left: 0, textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 22, type: "scroll" },
        grid: { left: 8, right: 48, top: 52, bottom: 8, containLabel: true },
        xAxis: { type: "value" },
        yAxis: { type: "category", data: units, axisLabel: { width: 110, overflow: "truncate" } },
        series: series
      });
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
});
