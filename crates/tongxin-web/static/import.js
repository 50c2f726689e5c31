// 文件导入：选择文本文件后把内容放进正文框（在浏览器中读取，不单独上传），提交仍走表单。
(function () {
  "use strict";
  var input = document.getElementById("file");
  var text = document.getElementById("text");
  var note = document.getElementById("file-note");
  if (!input || !text) return;
  input.addEventListener("change", function () {
    var f = input.files && input.files[0];
    if (!f) return;
    if (f.size > 2 * 1024 * 1024) { note.textContent = "文件过大（上限2MB）"; return; }
    var reader = new FileReader();
    reader.onload = function () {
      var s = String(reader.result || "");
      if (s.indexOf("\uFFFD") >= 0) { note.textContent = "文件不是UTF-8文本，请另存为UTF-8后再选"; return; }
      text.value = s;
      note.textContent = "已读入 " + f.name + "（" + s.length + " 字）";
    };
    reader.onerror = function () { note.textContent = "读取失败：" + reader.error; };
    reader.readAsText(f, "utf-8");
  });
})();
