/* ECharts without inline script (CSP): <div data-xn-chart="ID"> draws the option kept in
   <script type="application/json" id="ID"> (Django's json_script). */
(function () {
  "use strict";
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-xn-chart]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-xn-chart"));
      if (!source || el.getAttribute("data-xn-drawn")) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(JSON.parse(source.textContent));
      el.setAttribute("data-xn-drawn", "1");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
  document.addEventListener("htmx:afterSettle", draw);
})();
