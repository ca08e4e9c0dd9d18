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
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) { ui.triggerSearch(query); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
