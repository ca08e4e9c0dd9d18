// Live preview of Markdown fields in the back office: as staff type, the text is rendered by the
// server with the public site's own Markdown rules and sanitizer (POST /admin/markdown-preview) and
// shown under the field. Without JavaScript nothing changes: the draft preview page shows the same.
(function () {
  "use strict";
  var token = document.querySelector('meta[name="csrf-token"]');
  var url = "/admin/markdown-preview";
  function attach(area) {
    var box = document.getElementById(area.getAttribute("data-markdown-preview"));
    if (!box) { return; }
    var timer = null, sent = 0;
    function render() {
      var mine = ++sent;
      var body = new URLSearchParams();
      body.set("text", area.value);
      fetch(url, {
        method: "POST", credentials: "same-origin", body: body,
        headers: { "X-CSRFToken": token ? token.content : "" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (!data || mine !== sent) { return; }
        box.innerHTML = '<p class="hint">预览（与公开网站显示一致）：</p>' + data.html;
        box.hidden = area.value.trim() === "";
      }).catch(function () { /* the preview is a convenience: saving still works */ });
    }
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
    if (area.value.trim() !== "") { render(); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var areas = document.querySelectorAll("textarea[data-markdown-preview]");
    for (var i = 0; i < areas.length; i++) { attach(areas[i]); }
  });
}());
