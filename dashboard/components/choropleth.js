// Choropleth map that keeps its figure in the page and only recolours it on reruns.
// The geometry (a static GeoJSON URL) is fetched once per URL; when a rerun sends new
// values for the same geometry, Plotly.restyle changes colours and hover texts in place,
// so the map view (zoom, centre) stays and no geometry is resent or re-parsed.
// Plotly.js itself is loaded once from the app's own static files (no CDN: works offline).
// Clicking an area opens its profile page (a plain link, so it can be shared).

function loadGeo(url) {
  window.__rcGeo = window.__rcGeo || {};
  if (!window.__rcGeo[url]) {
    window.__rcGeo[url] = fetch(url)
      .then((r) => {
        if (!r.ok) throw new Error("HTTP " + r.status + " " + url);
        return r.json();
      })
      .catch((err) => {
        delete window.__rcGeo[url]; // the next draw asks again
        throw err;
      });
  }
  return window.__rcGeo[url];
}

function loadBundle(url) {
  window.__rcBundles = window.__rcBundles || {};
  if (!window.__rcBundles[url]) {
    const loading = fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    window.__rcBundles[url] = loading;
    loading.then((bundle) => {
      if (bundle) loading.ready = bundle;
      else delete window.__rcBundles[url]; // not there (yet): ask again next time
    });
  }
  return window.__rcBundles[url];
}

// A pick in the indicator picker recolours the map at once from the prepared colours; the
// rerun that follows brings the hover texts, legend and title, and restyles with the same
// colours. On the SVG map each area's fill is set directly (a few ms: plotly's own restyle
// recomputes the whole trace, about 70 ms); on the base-map variant plotly restyles.
function onIndicatorPicked(event) {
  const root = window.__rcMapRoot;
  const entry = root && root.__recolourUrl && window.__rcBundles && window.__rcBundles[root.__recolourUrl];
  const colours = entry && entry.ready && entry.ready[event.detail];
  if (!colours || !root.__plotted || !root.__plotly) return;
  const done = () => {
    root.dataset.drawnAt = String(performance.now());
    root.dataset.signature = "picked:" + event.detail;
  };
  root.dataset.recolour = root.__mode === "geo" && paintFills(root, colours) ? "paint" : "restyle";
  if (root.dataset.recolour === "paint") {
    requestAnimationFrame(() => setTimeout(done, 0)); // after the frame with the new fills
    return;
  }
  root.__plotly.restyle(root, {
    z: [colours.z],
    colorscale: [colours.colorscale],
    zmax: [colours.colorscale_n - 0.5],
  }, [0]).then(done);
}

// Set the fill of every drawn area of the first trace from its class (z = 0 no data, k the
// k-th class; the stepped colourscale holds class k's colour at position 2k). Each path
// carries its location code as d3 data; false when the drawing is not as expected.
function paintFills(root, colours) {
  const layer = root.querySelector(".choroplethlayer .trace");
  const codes = root.data && root.data[0] && root.data[0].locations;
  if (!layer || !codes || codes.length !== colours.z.length) return false;
  const position = new Map(codes.map((code, i) => [code, i]));
  const paths = layer.querySelectorAll("path.choroplethlocation");
  for (const path of paths) {
    const i = path.__data__ ? position.get(path.__data__.loc) : undefined;
    if (i === undefined) return false;
    const step = colours.colorscale[2 * colours.z[i]];
    if (!step) return false;
    path.setAttribute("fill", step[1]); // as plotly does, so its next restyle overrides it
  }
  return paths.length > 0;
}

function outlineTrace(geo, codes, color, width, visible, type) {
  return {
    type: type,
    geojson: geo,
    featureidkey: "id",
    locations: codes,
    z: codes.map(() => 0),
    colorscale: [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
    showscale: false,
    marker: { line: { color: color, width: width } },
    hoverinfo: "skip",
    visible: visible && codes.length > 0,
  };
}

function traces(geo, d) {
  const type = d.basemap ? "choroplethmap" : "choropleth";
  return [
    {
      type: type,
      geojson: geo,
      featureidkey: "id",
      locations: d.codes,
      z: d.z,
      zmin: -0.5,
      zmax: d.colorscale_n - 0.5,
      colorscale: d.colorscale,
      showscale: false,
      text: d.hover,
      hovertemplate: "%{text}<extra></extra>",
      marker: { line: { color: "#ffffff", width: 0.4 } },
    },
    outlineTrace(geo, d.focus_codes, "#000000", 2.6, d.show_focus, type),
    outlineTrace(geo, d.official_codes, "#1f78b4", 2.0, d.show_official, type),
    outlineTrace(geo, d.estimated_codes || [], d.estimated_color, 1.6, true, type),
  ];
}

function layout(d) {
  return {
    margin: { l: 0, r: 0, t: 0, b: 0 },
    height: d.height,
    paper_bgcolor: "#ffffff",
    dragmode: "pan",
    uirevision: d.view_key, // same key: pan and zoom survive every redraw
    font: { size: d.font_size },
    annotations: d.source_line
      ? [{ text: d.source_line, x: 0, y: 0, xref: "paper", yref: "paper", xanchor: "left", yanchor: "bottom",
           showarrow: false, font: { size: 11, color: "#444" }, bgcolor: "rgba(255,255,255,0.8)" }]
      : [],
    hoverlabel: { font: { size: d.font_size } },
    // A fixed frame from the server (the selected municipalities), never fitbounds: fitting
    // is recomputed on every restyle and would undo the user's pan.
    geo: {
      visible: false,
      fitbounds: false,
      center: { lon: (d.bounds[0] + d.bounds[2]) / 2, lat: (d.bounds[1] + d.bounds[3]) / 2 },
      lonaxis: { range: [d.bounds[0], d.bounds[2]] },
      lataxis: { range: [d.bounds[1], d.bounds[3]] },
      projection: { type: "mercator" },
      bgcolor: "#ffffff",
    },
  };
}

// The optional PDOK base map (BRT-Achtergrondkaart) as raster tiles. When PDOK cannot be
// reached the tiles simply do not load and the areas are drawn on white: a silent fallback.
function baseMapLayout(d) {
  return {
    style: {
      version: 8,
      sources: {
        brt: {
          type: "raster",
          tiles: [d.basemap_url],
          tileSize: 256,
          attribution: "Kaartgegevens &copy; Kadaster (PDOK BRT-Achtergrondkaart)",
        },
      },
      layers: [{ id: "brt", type: "raster", source: "brt" }],
    },
    center: { lon: (d.bounds[0] + d.bounds[2]) / 2, lat: (d.bounds[1] + d.bounds[3]) / 2 },
    zoom: 9.3,
  };
}

function config(d) {
  return {
    displaylogo: false,
    scrollZoom: true,
    responsive: true,
    modeBarButtonsToRemove: ["select2d", "lasso2d"],
    toImageButtonOptions: { format: "png", filename: d.filename, scale: 2 },
    topojsonURL: d.topojson_url,
  };
}

async function draw(root, d) {
  root.__profileUrl = d.profile_url;
  root.__recolourUrl = d.recolour_url;
  window.__rcMapRoot = root;
  if (!window.__rcPickBound) {
    window.__rcPickBound = true;
    window.addEventListener("rc-indicator", onIndicatorPicked);
  }
  // The base map's trace type is only in the complete bundle.
  const [loaded, geo] = await Promise.all([loadPlotlyFor(d, d.basemap), loadGeo(d.geo_url)]);
  const Plotly = plotWith(root, loaded);
  const mode = d.basemap ? "map" : "geo";
  if (root.__geoUrl === d.geo_url && root.__plotted && root.__mode === mode) {
    // One restyle for all four traces: one redraw instead of several.
    const clear = [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]];
    const estimated = d.estimated_codes || [];
    await Plotly.restyle(root, {
      locations: [d.codes, d.focus_codes, d.official_codes, estimated],
      z: [d.z, d.focus_codes.map(() => 0), d.official_codes.map(() => 0), estimated.map(() => 0)],
      text: [d.hover, [], [], []],
      colorscale: [d.colorscale, clear, clear, clear],
      zmax: [d.colorscale_n - 0.5, 1, 1, 1],
      visible: [true, d.show_focus && d.focus_codes.length > 0, d.show_official && d.official_codes.length > 0, estimated.length > 0],
    }, [0, 1, 2, 3]);
  } else {
    // New geometry (another year or level): carry the user's pan and zoom over explicitly
    // (plotly's uirevision does not keep a geo view when the geometry is replaced).
    const lay = layout(d);
    if (d.basemap) lay.map = baseMapLayout(d);
    const user = !d.basemap && root.__plotted && root.__mode === mode && root.__viewKey === d.view_key && root.layout && root.layout.geo;
    if (user) {
      if (user.center) lay.geo.center = { ...user.center };
      if (user.projection) lay.geo.projection = { ...lay.geo.projection, ...user.projection };
    }
    try {
      await Plotly.react(root, traces(geo, d), lay, config(d));
    } catch (err) {
      if (!d.basemap) throw err;
      // The base map could not be loaded (offline, PDOK unreachable, no WebGL): draw the map
      // without it, silently, as if the option were off.
      Plotly.purge(root);
      root.__plotted = false;
      root.dataset.basemap = "unavailable";
      return draw(root, { ...d, basemap: false });
    }
    root.__viewKey = d.view_key;
    root.__mode = mode;
    root.__geoUrl = d.geo_url;
    root.__plotted = true;
  }
  // Both react and restyle can replace the plot's event emitter: bind the click handler again.
  if (root.removeAllListeners) root.removeAllListeners("plotly_click");
  root.on("plotly_click", (event) => {
    const point = event && event.points && event.points[0];
    if (point && point.location && root.__profileUrl) {
      // Open the profile as a shareable URL; the map page's state lives in its own URL.
      window.location.assign(new URL(root.__profileUrl + encodeURIComponent(point.location), window.location.href));
    }
  });
  root.dataset.drawnAt = String(performance.now()); // for the benchmark: the browser's share
  root.dataset.signature = d.signature;
  root.dataset.renders = String(Number(root.dataset.renders || 0) + 1);
  mapGate().open(); // charts waiting for the first map may draw now
}

export default function (component) {
  const { data, parentElement } = component;
  const root = parentElement.querySelector(".rc-map");
  if (data.prefetch) {
    // Sent first thing in a run: start loading Plotly and the geometry while the server is
    // still computing the map, so the first draw finds both ready.
    root.style.display = "none";
    root.classList.remove("rc-map");
    loadPlotlyFor(data, false).catch(() => {});
    if (data.geo_url) loadGeo(data.geo_url).catch(() => {});
    if (data.recolour_url) loadBundle(data.recolour_url);
    return;
  }
  root.dataset.receivedAt = String(performance.now());
  root.setAttribute("role", "img");
  root.setAttribute("aria-label", data.alt);
  root.style.height = data.height + "px";
  // Reruns can arrive while a draw is still waiting for Plotly or the geometry: draw in order.
  root.__queue = (root.__queue || Promise.resolve())
    .then(() => draw(root, data))
    .catch((err) => {
      root.dataset.error = String(err);
      root.textContent = data.error_text + " (" + err + ")";
    });
}
