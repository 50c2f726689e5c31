// 导入保护图层: reads the chosen GeoJSON file and posts it with the form's fields to the JSON
// API; each refusal is shown beside its field, and nothing chosen or typed is cleared.
(function () {
  "use strict";
  var form = document.getElementById("layer-import");
  if (!form) { return; }
  function show(field, message) {
    var el = form.querySelector('[data-error="' + field + '"]') || form.querySelector('[data-error="_"]');
    el.textContent = message;
    el.hidden = !message;
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    Array.prototype.forEach.call(form.querySelectorAll("[data-error]"), function (el) { el.textContent = ""; });
    var file = document.getElementById("layer-file").files[0];
    var button = form.querySelector("button[type=submit]");
    var send = function (text) {
      button.disabled = true;
      button.textContent = "导入中……";
      fetch("/api/v1/land-layers", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": form.getAttribute("data-csrf") },
        body: JSON.stringify({
          kind: form.elements.kind.value,
          source: form.elements.source.value,
          source_date: form.elements.source_date.value,
          geojson: text
        })
      }).then(function (r) {
        return r.json().then(function (body) { return { ok: r.ok, body: body }; });
      }).then(function (res) {
        if (res.ok) { window.location.reload(); return; }
        var err = res.body && res.body.error;
        if (err && err.fields && err.fields.length) {
          err.fields.forEach(function (f) { show(f.field, f.message); });
        } else {
          show("_", (err && err.message) || "导入失败");
        }
      }).catch(function () {
        show("_", "网络错误，未能导入，请重试");
      }).then(function () {
        button.disabled = false;
        button.textContent = "导入";
      });
    };
    if (!file) { send(""); return; }
    var reader = new FileReader();
    reader.onload = function () { send(String(reader.result || "")); };
    reader.onerror = function () { show("geojson", "无法读取所选文件"); };
    reader.readAsText(file);
  });
})();
