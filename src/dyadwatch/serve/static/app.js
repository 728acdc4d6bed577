// dyadwatch web app: draws the figures embedded as JSON, submits filters on change, and reloads a
// section computed in the background. Data never reach innerHTML: only Plotly and textContent see them.
(function () {
  "use strict";
  var cfgEl = document.getElementById("plot-config");
  var config = cfgEl ? JSON.parse(cfgEl.textContent) : {responsive: true, displaylogo: false};
  document.querySelectorAll('script[type="application/json"][data-plot]').forEach(function (el) {
    var target = document.getElementById(el.getAttribute("data-plot"));
    if (!target || typeof Plotly === "undefined") { return; }
    var fig = JSON.parse(el.textContent);
    Plotly.newPlot(target, fig.data, fig.layout, config);
  });
  var form = document.getElementById("filters");
  if (form) {
    form.querySelectorAll("select, input[type=checkbox]").forEach(function (input) {
      input.addEventListener("change", function () { form.submit(); });
    });
  }
  var pending = document.getElementById("report-pending") || document.getElementById("report-stale");
  if (pending && window.fetch) {
    var url = pending.getAttribute("data-url");
    var tries = 0;
    var poll = function () {
      tries += 1;
      fetch(url, {headers: {"accept": "application/json"}}).then(function (r) { return r.json(); })
        .then(function (body) {
          if (body.status === "ready") { window.location.reload(); return; }
          if (body.status === "failed") { pending.textContent = "The report content could not be computed: " + body.error; return; }
          if (tries < 120) { window.setTimeout(poll, 3000); }
        }).catch(function () { if (tries < 120) { window.setTimeout(poll, 5000); } });
    };
    window.setTimeout(poll, 2000);
  }
})();
