/* Search page on Pagefind's JS API. The index holds terms already cut by the site's one Chinese
   analysis (search/static_terms.py: each page's hidden block, every Chinese term also indexed by
   its suffixes), and Pagefind matches each query word as a prefix of an indexed word. So the
   query is folded (lower case, half width, traditional → simplified with the site's
   search-data.json), cut into pieces (Intl.Segmenter, fillers such as 了 要 怎么 dropped, runs of
   single characters joined), and each piece is looked up alone: a page is a result when it
   matches at least half of the pieces, ranked by how many (and how long) it matched, then by
   Pagefind's score. Filters are index tokens (fdept…z) whose pages are intersected. The base
   bundle is merged with the delta bundle of pages changed since it was built, the base's
   results for those pages dropped. Reading the site never needs this script; without it the
   form goes to the intake's plain results page. The pure functions are module.exports for the
   tests and the relevance suite under Node (tests/search/static_engine.mjs). */
(function () {
  "use strict";
  var PAGE_SIZE = 10;
  var SUGGESTIONS = 3;
  var CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  // Pagefind's ranking: a page's length must not count (an item's block holds all its material
  // names; a short notice would otherwise outrank the item it mentions once).
  var RANKING = { pageLength: 0 };
  var FILTER_PREFIXES = { department: "fdept", item_type: "ftype", case_type: "fcase", kind: "fkind" };

  // One character in, one out (as the analysis's fold): offsets into the folded text are offsets
  // into the original, so the words found can be marked in it.
  function fold(text, data) {
    var t2s = (data && data.t2s) || {};
    var out = "";
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      var half = ch.normalize("NFKC").toLowerCase();
      if (half.length !== 1) { half = ch.toLowerCase().length === 1 ? ch.toLowerCase() : ch; }
      out += t2s[half] || half;
    }
    return out;
  }

  function segments(text) {
    if (typeof Intl !== "undefined" && Intl.Segmenter) {
      return Array.from(new Intl.Segmenter("zh-cn", { granularity: "word" }).segment(text))
        .filter(function (s) { return s.isWordLike; })
        .map(function (s) { return s.segment; });
    }
    // No segmenter: Chinese runs whole, Latin words and numbers as they are.
    return text.match(/[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g) || [];
  }

  // What to look up for a query: [{word, tries}], folded, without fillers. A run of single
  // Chinese characters the segmenter did not know (公|积|金, 低|保) is one piece. A single
  // character next to a piece is tried joined to it first (身份|证 → 身份证, 开|饭馆 → 开饭馆),
  // then the piece alone; a lone single character is dropped when a longer piece exists (alone it
  // matches every word it starts). A query of nothing but fillers keeps them.
  function plan(query, data) {
    var stop = new Set((data && data.fillers) || []);
    var words = segments(fold(query, data)).map(function (w) {
      return w.replace(/[\p{P}\p{S}\s]/gu, "");
    }).filter(Boolean);
    function single(w) { return w.length === 1 && CJK.test(w); }
    // Groups of words between fillers; runs of singles inside a group joined.
    var groups = [[]];
    var run = "";
    var runs = new Set();
    function flush() {
      if (run) {
        if (run.length > 1) { runs.add(run); }
        groups[groups.length - 1].push(run);
        run = "";
      }
    }
    words.forEach(function (word) {
      if (stop.has(word)) { flush(); groups.push([]); return; }
      if (single(word)) { run += word; return; }
      flush();
      groups[groups.length - 1].push(word);
    });
    flush();
    var steps = [];
    groups.forEach(function (group) {
      group.forEach(function (word, i) {
        if (single(word)) { return; }
        var tries = [];
        var before = i > 0 && single(group[i - 1]) ? group[i - 1] : "";
        var after = i + 1 < group.length && single(group[i + 1]) ? group[i + 1] : "";
        if (before && after) { tries.push(before + word + after); }
        if (after) { tries.push(word + after); }
        if (before) { tries.push(before + word); }
        tries.push(word);
        // A run of single characters may span words of the index (推|诿|扯|皮 → 推诿 扯皮): if
        // nothing starts with it, its two-character pieces are looked up instead.
        steps.push({ word: word, tries: tries, pairs: runs.has(word) && word.length > 2 });
      });
    });
    if (!steps.length) {
      var kept = words.filter(function (w) { return !stop.has(w); });
      var rest = kept.length ? kept : words;
      var longer = rest.some(function (w) { return !single(w); });
      steps = rest.filter(function (w) { return !longer || !single(w); })
        .map(function (w) { return { word: w, tries: [w] }; });
    }
    var seen = new Set();
    return steps.filter(function (step) { return seen.has(step.word) ? false : seen.add(step.word); });
  }

  function pieces(query, data) {
    return plan(query, data).map(function (step) { return step.word; });
  }

  // The index word of one filter value: static_terms.filter_token (prefix, UTF-8 hex, "z").
  function filterToken(name, value) {
    var hex = Array.from(new TextEncoder().encode(value), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
    return FILTER_PREFIXES[name] + hex + "z";
  }

  // The block's meta values are base64 of UTF-8 (static_terms.meta_value), so that Pagefind,
  // which indexes meta values too, never matches them.
  function decodeMeta(meta) {
    var out = {};
    Object.keys(meta || {}).forEach(function (key) {
      try {
        out[key] = new TextDecoder().decode(Uint8Array.from(atob(meta[key]), function (c) { return c.charCodeAt(0); }));
      } catch (e) {
        out[key] = "";
      }
    });
    return out;
  }

  // Whether a page's indexed text (its block's terms) has a word starting with word.
  function hasWord(content, word) {
    return content.split(/[\s.]+/).some(function (w) { return w.indexOf(word) === 0; });
  }

  // Results of a query over base + delta: [{id, score, matched, result}], best first, with the
  // pieces looked up. options: {data: search-data.json, filters: {department: code, …}}.
  function searchSite(pagefind, state, query, options) {
    options = options || {};
    var stale = new Set((state && state.stale) || []);
    var fresh = new Set((state && state.delta) || []);
    function live(r) { return fresh.has(r.id) || !stale.has(r.id); }
    var steps = plan(query, options.data);
    var filters = options.filters || {};
    var tokens = Object.keys(filters).filter(function (k) { return filters[k] && FILTER_PREFIXES[k]; })
      .sort().map(function (k) { return filterToken(k, filters[k]); });
    // Pagefind answers a word no indexed word starts with by the pages of its longest prefix
    // that has some (特种设备公司 → 特种设备, yyzzq → yyzz): then every result of that index is of
    // that prefix. Base and delta are searched apart, so the first result of each tells (its
    // fragment, which the page usually shows anyway).
    function lookup(word) {
      return pagefind.search(word).then(function (s) {
        // A result without word positions matched only a meta value: not a match of the terms.
        var list = s.results.filter(function (r) { return live(r) && r.words && r.words.length; });
        var firsts = [list.find(function (r) { return !fresh.has(r.id); }),
          list.find(function (r) { return fresh.has(r.id); })].filter(Boolean);
        return Promise.all(firsts.map(function (r) { return r.data(); })).then(function (pages) {
          var wrong = new Set();
          pages.forEach(function (page, i) {
            if (!hasWord(page.content || "", word)) { wrong.add(fresh.has(firsts[i].id)); }
          });
          return list.filter(function (r) { return !wrong.has(fresh.has(r.id)); });
        });
      });
    }
    // The longest try of a piece that some page has: what the piece stands for in this query
    // ([{word, list}]: one, or the run's two-character pieces).
    function lookupStep(step) {
      var i = 0;
      function next() {
        var word = step.tries[i];
        return lookup(word).then(function (list) {
          if (list.length || ++i < step.tries.length) { return list.length ? [{ word: word, list: list }] : next(); }
          if (!step.pairs) { return [{ word: word, list: list }]; }
          var pairs = [];
          for (var k = 0; k + 2 <= word.length; k++) {
            if (pairs.indexOf(word.slice(k, k + 2)) < 0) { pairs.push(word.slice(k, k + 2)); }
          }
          return Promise.all(pairs.map(function (pair) {
            return lookup(pair).then(function (found) { return { word: pair, list: found }; });
          }));
        });
      }
      return next();
    }
    var parts = [];
    return Promise.all([Promise.all(steps.map(lookupStep)), Promise.all(tokens.map(lookup))])
      .then(function (found) {
        var flat = [].concat.apply([], found[0]);
        parts = flat.map(function (f) { return f.word; });
        found[0] = flat.map(function (f) { return f.list; });
        var each = found[0];
        var allowed = null;
        found[1].forEach(function (list) {
          var ids = new Set(list.map(function (r) { return r.id; }));
          allowed = allowed ? new Set(Array.from(allowed).filter(function (id) { return ids.has(id); })) : ids;
        });
        var pages = new Map();
        each.forEach(function (list, i) {
          list.forEach(function (r) {
            if (allowed && !allowed.has(r.id)) { return; }
            var page = pages.get(r.id);
            if (!page) { page = { id: r.id, score: 0, matched: 0, chars: 0, result: r }; pages.set(r.id, page); }
            page.score += r.score;
            page.matched += 1;
            page.chars += parts[i].length;
          });
        });
        var need = Math.ceil(parts.length / 2);
        var ranked = Array.from(pages.values()).filter(function (p) { return p.matched >= need; });
        ranked.sort(function (a, b) {
          return b.matched - a.matched || b.chars - a.chars || b.score - a.score ||
            (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
        });
        // For an empty answer: the pages of the piece most pages have, as suggestions.
        var best = [];
        if (!ranked.length) {
          each.forEach(function (list) {
            var ok = list.filter(function (r) { return !allowed || allowed.has(r.id); });
            if (ok.length > best.length) { best = ok; }
          });
        }
        return { results: ranked, pieces: parts, suggestions: best.slice(0, SUGGESTIONS) };
      });
  }

  // Spans of text ([start, end]) holding a piece, the folded text compared, merged.
  function marks(text, parts, data) {
    var folded = fold(text, data);
    var spans = [];
    parts.forEach(function (p) {
      var at = folded.indexOf(p);
      while (p && at >= 0) { spans.push([at, at + p.length]); at = folded.indexOf(p, at + p.length); }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var merged = [];
    spans.forEach(function (s) {
      var last = merged[merged.length - 1];
      if (last && s[0] <= last[1]) { last[1] = Math.max(last[1], s[1]); } else { merged.push(s.slice()); }
    });
    return merged;
  }

  function start() {
    var form = document.getElementById("site-search");
    var input = document.getElementById("site-search-input");
    var status = document.getElementById("search-status");
    var list = document.getElementById("search-results");
    var more = document.getElementById("search-more");
    var fallback = document.getElementById("search-fallback");
    var empty = document.getElementById("search-empty");
    if (!form || !input || !status || !list || !more) { return; }
    var bundle = form.getAttribute("data-bundle");
    var delta = form.getAttribute("data-delta");
    var dataUrl = form.getAttribute("data-fold");
    var hotline = form.getAttribute("data-hotline");
    var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-filter]"));
    var engine = null;
    var run = 0; // the newest search; older ones stop when they see it changed
    var results = [];
    var parts = [];
    var shown = 0;
    var term = "";

    function json(url) {
      return fetch(url).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
    }

    function load() {
      if (!engine) {
        engine = Promise.all([import(bundle + "pagefind.js"), json(delta + "sunshine-delta.json"), json(dataUrl)])
          .then(function (loaded) {
            var pagefind = loaded[0];
            var state = loaded[1] || {};
            return pagefind.options({ baseUrl: "/", noWorker: true, ranking: RANKING }).then(function () {
              return state.bundle ? pagefind.mergeIndex(delta, { baseUrl: "/" }) : null;
            }).then(function () {
              return { pagefind: pagefind, state: state, data: loaded[2] || {} };
            });
          });
      }
      return engine;
    }

    function marked(text, into, data) {
      var at = 0;
      marks(text, parts, data).forEach(function (s) {
        into.appendChild(document.createTextNode(text.slice(at, s[0])));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(s[0], s[1]);
        into.appendChild(mark);
        at = s[1];
      });
      into.appendChild(document.createTextNode(text.slice(at)));
    }

    function entry(page, fold) {
      var meta = decodeMeta(page.meta);
      var item = document.createElement("li");
      item.className = "search-result";
      var heading = document.createElement("h2");
      heading.className = "search-result-title";
      if (meta.kind) {
        var kind = document.createElement("span");
        kind.className = "search-kind";
        kind.textContent = meta.kind;
        heading.appendChild(kind);
        heading.appendChild(document.createTextNode(" "));
      }
      var link = document.createElement("a");
      link.href = page.url;
      marked(meta.title || page.url, link, fold);
      heading.appendChild(link);
      item.appendChild(heading);
      var facts = [meta.dept, meta.limit, meta.fee].filter(Boolean);
      if (facts.length) {
        var line = document.createElement("p");
        line.className = "search-facts";
        line.textContent = facts.join(" · ");
        item.appendChild(line);
      }
      if (meta.summary) {
        var text = document.createElement("p");
        text.className = "search-excerpt";
        marked(meta.summary, text, fold);
        item.appendChild(text);
      }
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
      return Promise.all([load(), Promise.all(batch.map(function (r) { return r.result.data(); }))])
        .then(function (loaded) {
          loading = false;
          if (mine !== run) { return; }
          var first = null;
          loaded[1].forEach(function (page) {
            var item = entry(page, loaded[0].data);
            first = first || item;
            list.appendChild(item);
          });
          shown += loaded[1].length;
          list.hidden = shown === 0;
          more.hidden = shown >= results.length;
          status.textContent = counted();
          if (focusFirst && first) { first.querySelector("a").focus(); }
        });
    }

    function showEmpty(query, suggestions, fold) {
      status.textContent = "没有找到与“" + query + "”相关的内容";
      if (!empty) { return Promise.resolve(); }
      var heading = empty.querySelector("[data-empty-suggest]");
      var box = empty.querySelector("[data-empty-list]");
      box.textContent = "";
      heading.hidden = !suggestions.length;
      empty.hidden = false;
      return Promise.all(suggestions.map(function (r) { return r.data(); })).then(function (pages) {
        pages.forEach(function (page) { box.appendChild(entry(page, fold)); });
      });
    }

    function chosenFilters() {
      var chosen = {};
      selects.forEach(function (select) {
        if (select.value) { chosen[select.getAttribute("data-filter")] = select.value; }
      });
      return chosen;
    }

    function search(query) {
      var mine = ++run;
      term = query;
      results = [];
      shown = 0;
      list.textContent = "";
      list.hidden = true;
      more.hidden = true;
      if (empty) { empty.hidden = true; }
      if (!query) { status.textContent = ""; return Promise.resolve(); }
      loading = false;
      status.textContent = "正在搜索“" + query + "”……";
      return load().then(function (found) {
        var options = { data: found.data, filters: chosenFilters() };
        return searchSite(found.pagefind, found.state, query, options).then(function (answer) {
          if (mine !== run) { return; }
          results = answer.results;
          parts = answer.pieces;
          if (!results.length) { return showEmpty(query, answer.suggestions, found.data); }
          return showMore(mine, false);
        });
      }).catch(function () {
        if (mine !== run) { return; }
        status.textContent = "搜索暂时无法使用，请稍后再试，或拨打咨询电话 " + hotline + "。";
        if (fallback) { fallback.hidden = false; }
      });
    }

    function submit() {
      var query = input.value.trim();
      var url = new URL(window.location.href);
      url.searchParams.set("q", query);
      selects.forEach(function (select) {
        if (select.value) { url.searchParams.set(select.name, select.value); } else { url.searchParams.delete(select.name); }
      });
      window.history.replaceState(null, "", url);
      return search(query);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      submit();
    });
    selects.forEach(function (select) {
      select.addEventListener("change", function () { if (input.value.trim()) { submit(); } });
    });
    more.addEventListener("click", function () { showMore(run, true); });
    input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
    if (fallback) { fallback.hidden = true; }
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var value = params.get(select.name);
      if (value && select.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) { select.value = value; }
    });
    var query = (params.get("q") || "").trim();
    if (query) {
      input.value = query;
      search(query);
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { RANKING: RANKING, decodeMeta: decodeMeta, fold: fold, plan: plan, pieces: pieces, filterToken: filterToken, searchSite: searchSite, marks: marks };
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
