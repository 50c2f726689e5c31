// 使用我的位置: fills the longitude and latitude from the phone's own positioning (no map
// service, works offline with GPS). Shown only where the browser offers it.
(function () {
  var b = document.getElementById('locate');
  if (!b || !navigator.geolocation) return;
  b.hidden = false;
  b.addEventListener('click', function () {
    b.disabled = true;
    b.textContent = '正在定位…';
    navigator.geolocation.getCurrentPosition(function (p) {
      document.querySelector('[name=lon]').value = p.coords.longitude.toFixed(6);
      document.querySelector('[name=lat]').value = p.coords.latitude.toFixed(6);
      b.disabled = false;
      b.textContent = '使用我的位置';
    }, function () {
      b.disabled = false;
      b.textContent = '定位失败，请只填写地点';
    }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
