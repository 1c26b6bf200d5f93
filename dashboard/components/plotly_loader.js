// Plotly.js loaded once per page from the app's own static files (no CDN: works offline),
// shared by every component that draws with it (the map, the light charts): prepended to
// each component's module by Python.

function loadPlotly(url) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__rcPlotlyLoading) {
    window.__rcPlotlyLoading = fetch(url)
      .then((r) => r.text())
      .then((code) => {
        const script = document.createElement("script");
        script.textContent = code;
        document.head.appendChild(script);
        return window.Plotly;
      });
  }
  return window.__rcPlotlyLoading;
}
