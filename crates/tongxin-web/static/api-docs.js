// 接口文档页的“试一试”：以当前登录身份发出请求并显示结果。无外部依赖。
(function () {
  "use strict";
  var csrf = null;
  function token() {
    if (csrf !== null) return Promise.resolve(csrf);
    return fetch("/api/v1/session", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (s) { csrf = s.csrf_token || ""; return csrf; });
  }
  document.querySelectorAll("form.try").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var method = form.dataset.method;
      var path = form.dataset.path;
      var id = form.querySelector("[name=id]");
      if (id) path = path.replace("{id}", encodeURIComponent(id.value));
      var q = form.querySelector("[name=query]");
      if (q && q.value) path += "?" + q.value;
      var bodyField = form.querySelector("[name=body]");
      var out = form.querySelector(".result");
      token().then(function (t) {
        var init = { method: method, credentials: "same-origin", headers: {} };
        if (method !== "GET") init.headers["X-CSRF-Token"] = t;
        if (bodyField) { init.headers["Content-Type"] = "application/json"; init.body = bodyField.value; }
        return fetch(path, init);
      }).then(function (r) {
        return r.text().then(function (text) {
          var shown = text;
          try { shown = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* not JSON */ }
          out.textContent = r.status + " " + r.statusText + "\n" + shown;
          out.hidden = false;
        });
      }).catch(function (e) { out.textContent = "请求失败：" + e; out.hidden = false; });
    });
  });
})();
