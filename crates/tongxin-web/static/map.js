// 用地范围示意图: draws a case's site and the protected layers around it with Leaflet (vendored,
// static/leaflet.js 1.9.4, BSD-2-Clause). No tiles are loaded: the county's machines are offline,
// and what matters is the site against the layers, which are drawn from the project's own API.
(function () {
  "use strict";
  var el = document.getElementById("site-map");
  if (!el || !window.L) { return; }
  var fallback = el.querySelector(".hint");
  if (fallback) { el.removeChild(fallback); }
  var boundary;
  try { boundary = JSON.parse(el.getAttribute("data-boundary")); } catch (e) { return; }
  el.classList.add("site-map-live");
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, scrollWheelZoom: false });
  // A homestead's site is a point (its coordinates), drawn as a dot; a temporary-land site
  // is a boundary.
  var point = boundary && boundary.type === "Point";
  var site = L.geoJSON(boundary, {
    style: { color: "#b42318", weight: 3, fillColor: "#b42318", fillOpacity: 0.12 },
    pointToLayer: function (f, latlng) {
      return L.circleMarker(latlng, { radius: 7, color: "#b42318", weight: 3, fillColor: "#b42318", fillOpacity: 0.6 });
    }
  }).addTo(map);
  site.bindTooltip(point ? "拟用地位置" : "用地范围");
  if (point) {
    map.setView([boundary.coordinates[1], boundary.coordinates[0]], 16);
  } else {
    map.fitBounds(site.getBounds(), { padding: [40, 40] });
  }
  L.control.scale({ imperial: false }).addTo(map);

  var styles = {
    basic_farmland: { color: "#0f5132", fillColor: "#198754", fillOpacity: 0.35, weight: 1 },
    farmland: { color: "#5c7f1d", fillColor: "#a3c95a", fillOpacity: 0.35, weight: 1 },
    geological_hazard: { color: "#b54708", fillColor: "#f79009", fillOpacity: 0.3, weight: 1 },
    flood_hazard: { color: "#175cd3", fillColor: "#53b1fd", fillOpacity: 0.3, weight: 1 },
    planned_borrow_area: { color: "#6941c6", fillOpacity: 0.05, weight: 2, dashArray: "6 4" },
    homestead_layout: { color: "#b45309", fillColor: "#fde68a", fillOpacity: 0.35, weight: 2 }
  };
  // The features around the site: its extent grown by its own size (at least ~200 m) each way.
  var b = (el.getAttribute("data-bbox") || "").split(",").map(Number);
  if (b.length !== 4 || b.some(isNaN)) { return; }
  var m = Math.max(b[2] - b[0], b[3] - b[1], 0.002);
  var q = [b[0] - m, b[1] - m, b[2] + m, b[3] + m].join(",");
  var rows = document.querySelectorAll("[data-layer-kind]");
  Array.prototype.forEach.call(rows, function (row) {
    var kind = row.getAttribute("data-layer-kind");
    var label = row.getAttribute("data-layer-label") || kind;
    fetch("/api/v1/land-layers/" + encodeURIComponent(kind) + "/features?bbox=" + q, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (fc) {
        if (!fc || !fc.features || !fc.features.length) { return; }
        L.geoJSON(fc, {
          style: styles[kind] || {},
          onEachFeature: function (f, layer) {
            layer.bindTooltip(label + "：" + ((f.properties && f.properties.name) || ""));
          }
        }).addTo(map);
        site.bringToFront();
      })
      .catch(function () { /* the table beside the map says what overlaps */ });
  });
})();
