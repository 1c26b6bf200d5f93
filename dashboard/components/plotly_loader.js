// Plotly.js, loaded once per page from the app's own static files and shared by every map and
// chart of the page. Prepended to each component's module by Python.
//
// Two bundles may be offered: the geo bundle (scatter, scattergeo, choropleth: what the maps
// and charts draw) and the complete one, which only the PDOK base map (`choroplethmap`) needs.
// `complete` says that `url` is the complete bundle. Once it is loaded it serves every later
// request; a plot drawn by the other bundle is purged and drawn again (`plotWith`).

function loadPlotly(url, complete) {
  const best = window.__rcPlotlyBest;
  if (best && (best.url === url || best.complete)) return Promise.resolve(best.Plotly);
  window.__rcPlotlyLoading = window.__rcPlotlyLoading || {};
  if (!window.__rcPlotlyLoading[url]) {
    // A <script src> (not fetch + inline text): the browser compiles the library off the main
    // thread while it downloads, instead of all at once after it.
    window.__rcPlotlyLoading[url] = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = url;
      script.async = true;
      script.onload = () => {
        const current = window.__rcPlotlyBest;
        if (!current || !current.complete) {
          window.__rcPlotlyBest = { url, complete: Boolean(complete), Plotly: window.Plotly };
        }
        window.Plotly = window.__rcPlotlyBest.Plotly; // a later geo bundle never replaces the complete one
        resolve(window.Plotly);
      };
      script.onerror = () => {
        delete window.__rcPlotlyLoading[url]; // a later draw may try again
        reject(new Error("Plotly.js could not be loaded from " + url));
      };
      document.head.appendChild(script);
    });
  }
  return window.__rcPlotlyLoading[url];
}

// The Plotly.js a payload offers (`plotly_url`, `plotly_complete_url`): its own bundle, or the
// complete one when the figure needs a trace type only that one has.
function loadPlotlyFor(d, needsComplete) {
  const url = needsComplete ? d.plotly_complete_url : d.plotly_url;
  return loadPlotly(url, url === d.plotly_complete_url);
}

// The Plotly that will draw on `root`: when another bundle drew it before, that one purges it
// first (two Plotly instances must not share a plot).
function plotWith(root, Plotly) {
  if (root.__plotly && root.__plotly !== Plotly) {
    root.__plotly.purge(root);
    root.__plotted = false;
  }
  root.__plotly = Plotly;
  return Plotly;
}

// The map goes first: a chart on the same page waits until the first map has drawn (at most
// `wait` ms), so drawing it never delays the page's main figure on a first visit.
function mapGate() {
  if (!window.__rcMapGate) {
    let open;
    const promise = new Promise((resolve) => {
      open = resolve;
    });
    window.__rcMapGate = { promise, open: () => open() };
  }
  return window.__rcMapGate;
}

function afterFirstMap(wait) {
  return Promise.race([mapGate().promise, new Promise((resolve) => setTimeout(resolve, wait))]);
}
