// Charts of the case statistics and the public monthly summary (data from json_script; the CSP
// forbids inline scripts). Each <div data-chart="..."> gets one ECharts chart.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("xn-chart-data");
    if (!source || typeof echarts === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var palette = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#6c757d"];
    var options = {
      months: {
        color: palette, tooltip: {trigger: "axis"}, legend: {data: [data.labels.received, data.labels.closed]},
        grid: {left: 8, right: 16, top: 30, bottom: 8, containLabel: true},
        xAxis: {type: "category", data: data.months}, yAxis: {type: "value", minInterval: 1},
        series: [
          {name: data.labels.received, type: "bar", data: data.received},
          {name: data.labels.closed, type: "line", data: data.closed}
        ]
      },
      stages: {
        color: palette, tooltip: {trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; }},
        grid: {left: 8, right: 16, top: 24, bottom: 8, containLabel: true},
        xAxis: {type: "category", data: data.stages.names}, yAxis: {type: "value", max: 100},
        series: [{type: "bar", data: data.stages.rates, label: {show: true, position: "top", formatter: "{c}%"}}]
      },
      kinds: {
        color: palette, tooltip: {trigger: "item"},
        series: [{type: "pie", radius: ["35%", "65%"], data: data.kinds, label: {formatter: "{b} {c}"}}]
      },
      channels: {
        color: palette, tooltip: {trigger: "axis"}, grid: {left: 8, right: 16, top: 10, bottom: 20, containLabel: true},
        xAxis: {type: "value", minInterval: 1}, yAxis: {type: "category", data: data.channels.names},
        series: [{type: "bar", data: data.channels.values}]
      }
    };
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var option = options[el.getAttribute("data-chart")];
      if (!option) { return; }
      var chart = echarts.init(el, null, {renderer: "svg"});
      chart.setOption(option);
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
