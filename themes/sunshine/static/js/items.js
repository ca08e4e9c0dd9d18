/* 办事指南 list: the filters (department, item type, case type, online, zero visits, no fee)
   combined on one page. Without this script the page lists every item and links to one static
   page per filter value, so nothing here is needed to read or filter; the script shows the form,
   hides the rows that do not match and keeps the choice in the address (?department=zjj&online=1)
   so it can be bookmarked. No inline script anywhere (the site's Content-Security-Policy). */
(function () {
  "use strict";

  /* Row attribute each select filters on, by the select's name. */
  var SELECTS = { department: "department", item_type: "type", case_type: "case" };
  /* Yes/no filters: the checkbox's name and what a matching row has. */
  var CHECKS = {
    online: function (row) { return row.getAttribute("data-online") === "1"; },
    zero_visits: function (row) { return row.getAttribute("data-visits") === "0"; },
    no_fee: function (row) { return row.getAttribute("data-fee") === "0"; }
  };

  function start() {
    var form = document.getElementById("item-filter");
    if (!form) { return; }
    var count = document.getElementById("item-filter-count");
    var none = document.getElementById("item-filter-none");
    var links = document.getElementById("filter-links");
    var rows = Array.prototype.slice.call(document.querySelectorAll("tr.item-row"));
    var groups = Array.prototype.slice.call(document.querySelectorAll(".item-group"));
    var tocLinks = Array.prototype.slice.call(document.querySelectorAll('.toc a[href^="#dept-"]'));

    function chosen() {
      var choice = {};
      Object.keys(SELECTS).forEach(function (name) {
        var field = form.elements[name];
        if (field && field.value) { choice[name] = field.value; }
      });
      Object.keys(CHECKS).forEach(function (name) {
        var field = form.elements[name];
        if (field && field.checked) { choice[name] = "1"; }
      });
      return choice;
    }

    function matches(row, choice) {
      return Object.keys(choice).every(function (name) {
        if (SELECTS[name]) { return row.getAttribute("data-" + SELECTS[name]) === choice[name]; }
        return CHECKS[name](row);
      });
    }

    function remember(choice) {
      if (!window.history || !window.history.replaceState) { return; }
      var query = new URLSearchParams(choice).toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    function apply() {
      var choice = chosen();
      var active = Object.keys(choice).length > 0;
      var shown = 0;
      rows.forEach(function (row) {
        var match = matches(row, choice);
        row.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        var visible = group.querySelector("tr.item-row:not([hidden])") !== null;
        group.hidden = active && !visible;
      });
      tocLinks.forEach(function (link) {
        var group = document.getElementById(link.getAttribute("href").slice(1));
        link.parentNode.hidden = Boolean(group && group.hidden);
      });
      if (none) { none.hidden = !active || shown !== 0; }
      if (count) { count.textContent = active ? "共有 " + shown + " 个事项符合条件" : ""; }
      remember(choice);
    }

    var params = new URLSearchParams(window.location.search);
    Object.keys(SELECTS).forEach(function (name) {
      var field = form.elements[name];
      var value = params.get(name);
      if (field && value && field.querySelector('option[value="' + CSS.escape(value) + '"]')) { field.value = value; }
    });
    Object.keys(CHECKS).forEach(function (name) {
      var field = form.elements[name];
      if (field) { field.checked = params.get(name) === "1"; }
    });

    form.hidden = false;
    if (links) { links.hidden = true; }  /* the form does what the links do, combined */
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
