/* Search page: Pagefind UI in Chinese, prefilled from ?q=. Reading the site never needs this script. */
(function () {
  "use strict";
  function start() {
    var fallback = document.getElementById("search-fallback");
    if (typeof window.PagefindUI === "undefined") {
      if (fallback) { fallback.hidden = false; }
      return;
    }
    var ui = new window.PagefindUI({
      element: "#search",
      showSubResults: true,
      showImages: false,
      translations: {
        placeholder: "请输入事项名称或关键词",
        clear_search: "清除",
        load_more: "加载更多结果",
        search_label: "搜索本站",
        filters_label: "筛选",
        zero_results: "没有找到与“[SEARCH_TERM]”相关的内容",
        many_results: "找到 [COUNT] 条与“[SEARCH_TERM]”相关的结果",
        one_result: "找到 1 条与“[SEARCH_TERM]”相关的结果",
        alt_search: "没有找到“[SEARCH_TERM]”，以下是“[DIFFERENT_TERM]”的结果",
        search_suggestion: "没有找到“[SEARCH_TERM]”，可以试试：",
        searching: "正在搜索“[SEARCH_TERM]”……"
      }
    });
    if (fallback) { fallback.hidden = true; }
    // Pagefind UI names its box only by a title: give it a visible label (WCAG 3.3.2, axe label-title-only).
    var input = document.querySelector("#search .pagefind-ui__search-input");
    if (input && !document.getElementById("site-search-label")) {
      input.id = "site-search-input";
      var label = document.createElement("label");
      label.id = "site-search-label";
      label.htmlFor = input.id;
      label.className = "search-label";
      label.textContent = "输入要找的事项、部门或关键词";
      var box = document.getElementById("search");
      box.parentNode.insertBefore(label, box);
    }
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
