/* 网上咨询 list: a text filter over the published questions and answers on the page.
   The list is complete and readable without this script; it only hides what does not match.
   No inline script anywhere (the site's Content-Security-Policy forbids it). */
(function () {
  "use strict";

  function normalise(text) {
    return (text || "").replace(/\s+/g, "").toLowerCase();
  }

  function start() {
    var box = document.getElementById("qa-filter-box");
    var input = document.getElementById("qa-filter");
    var count = document.getElementById("qa-filter-count");
    var none = document.getElementById("qa-none");
    if (!box || !input) { return; }
    var groups = Array.prototype.slice.call(document.querySelectorAll(".qa-group"));
    var entries = [];
    groups.forEach(function (group) {
      Array.prototype.slice.call(group.querySelectorAll(".qa-entry")).forEach(function (entry) {
        entries.push({ group: group, entry: entry, text: normalise(entry.textContent) });
      });
    });

    function apply() {
      var words = (input.value || "").split(/\s+/).map(normalise).filter(Boolean);
      var shown = 0;
      var visibleGroups = new Set();
      entries.forEach(function (e) {
        var match = words.every(function (w) { return e.text.indexOf(w) !== -1; });
        e.entry.hidden = !match;
        if (match) { shown += 1; visibleGroups.add(e.group); }
      });
      groups.forEach(function (group) { group.hidden = !visibleGroups.has(group); });
      if (none) { none.hidden = shown !== 0; }
      if (count) {
        count.textContent = words.length ? "找到 " + shown + " 条相关问答" : "";
      }
    }

    box.hidden = false;
    input.addEventListener("input", apply);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { input.value = query; apply(); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
