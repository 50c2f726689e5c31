// 用地范围: a chosen .geojson file fills the boundary's text box (the server checks it).
(function () {
  "use strict";
  var inputs = document.querySelectorAll("input[type=file][data-fill]");
  Array.prototype.forEach.call(inputs, function (input) {
    input.addEventListener("change", function () {
      var target = document.getElementById(input.getAttribute("data-fill"));
      var file = input.files && input.files[0];
      if (!target || !file) { return; }
      if (file.size > 900 * 1024) {
        alert("文件超过900KB：用地范围只需地块边界，请只导出本项目的地块");
        input.value = "";
        return;
      }
      var reader = new FileReader();
      reader.onload = function () { target.value = String(reader.result || ""); };
      reader.readAsText(file);
    });
  });
})();
