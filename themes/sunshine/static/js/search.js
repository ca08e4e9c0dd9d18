/* Search page on Pagefind's JS API: the base bundle, plus the delta bundle of pages changed since
   the base was built (merged when pagefind-delta/sunshine-delta.json says it exists), with the
   base's results for those pages dropped. Results show their kind (data-pagefind-meta "kind"),
   title, and an excerpt with the words marked; ten at a time. Reading the site never needs this.
   searchMerged is also loaded by the tests under Node (module.exports below). */
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  var EXACT = /^\s*".+"\s*$/;

  // The words Pagefind searches for: its own query segmentation (Intl.Segmenter, punctuation
  // dropped, lower case), so that each can be looked up alone.
  function words(query) {
    var parts = typeof Intl !== "undefined" && Intl.Segmenter
      ? Array.from(new Intl.Segmenter("zh-cn", { granularity: "word" }).segment(query),
        function (s) { return s.segment; })
      : query.split(/\s+/);
    var found = [];
    parts.forEach(function (part) {
      var word = part.replace(/[\p{P}\s]/gu, "").toLocaleLowerCase();
      if (word && found.indexOf(word) < 0) { found.push(word); }
    });
    return found;
  }

  // Results of base + delta as one fresh index of the whole site would give them. Pagefind drops
  // a query word that no page of an index has, so each index alone would answer differently
  // from one index of the site: a word only the changed pages have makes the base drop it (and
  // return pages without it); a word only the base's stale pages had makes the base require it
  // (a fresh index drops it). Each word is looked up alone (same index chunks, no fragments) to
  // decide which index may contribute and whether the base must be asked without such words.
  function searchMerged(pagefind, state, query) {
    var stale = new Set(state.stale || []);
    var fresh = new Set(state.delta || []);
    function inDelta(r) { return fresh.has(r.id); }
    function inBase(r) { return !fresh.has(r.id) && !stale.has(r.id); }
    function unique(list) {
      var seen = new Set();
      return list.filter(function (r) { return seen.has(r.id) ? false : seen.add(r.id); });
    }
    return pagefind.search(query).then(function (main) {
      var all = main.results;
      var terms = words(query);
      if ((!fresh.size && !stale.size) || terms.length < 2 || EXACT.test(query)) {
        return unique(all.filter(function (r) { return inDelta(r) || inBase(r); }));
      }
      return Promise.all(terms.map(function (w) { return pagefind.search(w); })).then(function (each) {
        var baseMay = true, deltaMay = true, baseAgain = false, baseWords = [];
        each.forEach(function (alone, i) {
          var base = alone.results.some(inBase);
          var delta = alone.results.some(inDelta);
          var staleOnly = !base && !delta && alone.results.some(function (r) { return stale.has(r.id); });
          if (delta && !base) { baseMay = false; }
          if (base && !delta) { deltaMay = false; }
          if (staleOnly) { baseAgain = true; }
          if (base) { baseWords.push(terms[i]); }
        });
        var fromBase = !baseMay ? Promise.resolve([])
          : !baseAgain ? Promise.resolve(all)
          : baseWords.length ? pagefind.search(baseWords.join(" ")).then(function (s) { return s.results; })
          : Promise.resolve([]);
        return fromBase.then(function (list) {
          var kept = list.filter(inBase).concat(deltaMay ? all.filter(inDelta) : []);
          kept.sort(function (a, b) { return b.score - a.score; });
          return unique(kept);
        });
      });
    });
  }

  function start() {
    var form = document.getElementById("site-search");
    var input = document.getElementById("site-search-input");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var fallback = document.getElementById("search-fallback");
    if (!form || !input || !status || !list || !more) { return; }
    var bundle = form.getAttribute("data-bundle");
    var delta = form.getAttribute("data-delta");
    var hotline = form.getAttribute("data-hotline");
    var engine = null;
    var run = 0; // the newest search; older ones stop when they see it changed
    var results = [];
    var shown = 0;
    var term = "";

    function load() {
      if (!engine) {
        engine = Promise.all([
          import(bundle + "pagefind.js"),
          fetch(delta + "sunshine-delta.json").then(function (r) { return r.ok ? r.json() : null; })
            .catch(function () { return null; })
        ]).then(function (loaded) {
          var pagefind = loaded[0];
          var state = loaded[1] || {};
          return pagefind.options({ baseUrl: "/", noWorker: true }).then(function () {
            return state.bundle ? pagefind.mergeIndex(delta, { baseUrl: "/" }) : null;
          }).then(function () {
            return { pagefind: pagefind, state: state };
          });
        });
      }
      return engine;
    }

    function excerpt(html, into) {
      // Pagefind's excerpt is escaped text with <mark> around the matches: keep only those.
      var holder = document.createElement("template");
      holder.innerHTML = html;
      holder.content.childNodes.forEach(function (node) {
        if (node.nodeName === "MARK") {
          var mark = document.createElement("mark");
          mark.textContent = node.textContent;
          into.appendChild(mark);
        } else {
          into.appendChild(document.createTextNode(node.textContent));
        }
      });
    }

    function entry(data) {
      var item = document.createElement("li");
      item.className = "search-result";
      var heading = document.createElement("h2");
      heading.className = "search-result-title";
      if (data.meta && data.meta.kind) {
        var kind = document.createElement("span");
        kind.className = "search-kind";
        kind.textContent = data.meta.kind;
        heading.appendChild(kind);
        heading.appendChild(document.createTextNode(" "));
      }
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      heading.appendChild(link);
      item.appendChild(heading);
      var text = document.createElement("p");
      text.className = "search-excerpt";
      excerpt(data.excerpt || "", text);
      item.appendChild(text);
      return item;
    }

    function counted() {
      return "找到 " + results.length + " 条与“" + term + "”相关的结果" +
        (shown < results.length ? "，已显示 " + shown + " 条" : "");
    }

    var loading = false;

    function showMore(mine, focusFirst) {
      if (loading) { return Promise.resolve(); }
      loading = true;
      var batch = results.slice(shown, shown + PAGE_SIZE);
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (pages) {
        loading = false;
        if (mine !== run) { return; }
        var first = null;
        pages.forEach(function (data) {
          var item = entry(data);
          first = first || item;
          list.appendChild(item);
        });
        shown += pages.length;
        list.hidden = shown === 0;
        more.hidden = shown >= results.length;
        status.textContent = counted();
        if (focusFirst && first) { first.querySelector("a").focus(); }
      });
    }

    function search(query) {
      var mine = ++run;
      term = query;
      results = [];
      shown = 0;
      list.textContent = "";
      list.hidden = true;
      more.hidden = true;
      if (!query) { status.textContent = ""; return Promise.resolve(); }
      loading = false;
      status.textContent = "正在搜索“" + query + "”……";
      return load().then(function (found) {
        return searchMerged(found.pagefind, found.state, query).then(function (merged) {
          if (mine !== run) { return; }
          results = merged;
          if (!results.length) {
            status.textContent = "没有找到与“" + query + "”相关的内容。可以换个说法，" +
              "或拨打咨询电话 " + hotline + "。";
            return;
          }
          return showMore(mine, false);
        });
      }).catch(function () {
        if (mine !== run) { return; }
        status.textContent = "搜索暂时无法使用，请稍后再试，或拨打咨询电话 " + hotline + "。";
        if (fallback) { fallback.hidden = false; }
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = input.value.trim();
      var url = new URL(window.location.href);
      url.searchParams.set("q", query);
      window.history.replaceState(null, "", url);
      search(query);
    });
    more.addEventListener("click", function () { showMore(run, true); });
    input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
    if (fallback) { fallback.hidden = true; }
    var query = (new URLSearchParams(window.location.search).get("q") || "").trim();
    if (query) {
      input.value = query;
      search(query);
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { searchMerged: searchMerged, words: words };
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
