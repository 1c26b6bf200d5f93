// A plotly figure drawn with the Plotly.js the map already loaded (`loadPlotly`, prepended),
// instead of Streamlit's own plotly bundle: a page with a map and a chart loads Plotly once.
// It draws after the page's map (`afterFirstMap`), so it never delays the first map.

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".rc-chart");
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", data.label);
  root.style.height = data.height + "px";
  const config = { responsive: true, displaylogo: false, toImageButtonOptions: { filename: data.filename } };
  root.__queue = (root.__queue || Promise.resolve())
    .then(() => afterFirstMap(4000))
    .then(() => loadPlotlyFor(data, false))
    .then((Plotly) => plotWith(root, Plotly).react(root, data.figure.data, data.figure.layout, config))
    .then(() => {
      root.dataset.signature = data.signature;
    })
    .catch((err) => {
      root.dataset.error = String(err);
      root.textContent = data.error_text + " (" + err + ")";
    });
}
