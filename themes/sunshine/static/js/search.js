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

  // Whether text is nothing but fillers (我想 = 我 + 想, 在哪): cut into fillers from the left.
  function fillerRun(text, stop) {
    if (!text) { return true; }
    for (var end = Math.min(text.length, 4); end > 0; end--) {
      if (stop.has(text.slice(0, end)) && fillerRun(text.slice(end), stop)) { return true; }
    }
    return false;
  }

  // What a query asks, as chunks of the segmenter's words between fillers: folded, punctuation
  // and fillers (single words, or runs of them such as 在|哪) dropped. searchSite joins the words
  // of a chunk into the longest pieces the index has. A query of nothing but fillers keeps them.
  function chunks(query, data) {
    var stop = new Set((data && data.fillers) || []);
    var words = segments(fold(query, data)).map(function (w) {
      return w.replace(/[\p{P}\p{S}\s]/gu, "");
    }).filter(Boolean);
    var out = [[]];
    for (var i = 0; i < words.length; i++) {
      var filler = 0;
      for (var n = Math.min(3, words.length - i); n > 0 && !filler; n--) {
        if (fillerRun(words.slice(i, i + n).join(""), stop)) { filler = n; }
      }
      if (filler) {
        if (out[out.length - 1].length) { out.push([]); }
        i += filler - 1;
      } else {
        out[out.length - 1].push(words[i]);
      }
    }
    out = out.filter(function (c) { return c.length; });
    return out.length ? out : (words.length ? [words] : []);
  }

  // The index word of one filter value: static_terms.filter_token (prefix, UTF-8 hex, "z").
  function filterToken(name, value) {
    var hex = Array.from(new TextEncoder().encode(value), function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
    return FILTER_PREFIXES[name] + hex + "z";
  }

  // The block's meta values are written in private use characters, one per UTF-16 unit
  // (static_terms.meta_value: U+F0000 + unit, the units FFFE and FFFF at U+100000 and U+100001),
  // so that Pagefind, which indexes the letters and digits of meta values, finds no word in them.
  // A value with any other character is not one of ours: "".
  function decodeValue(text) {
    var units = [];
    for (var i = 0; i < text.length; i++) {
      var code = text.codePointAt(i);
      if (code > 0xffff) { i++; }
      if (code >= 0xf0000 && code < 0xffffe) { units.push(code - 0xf0000); }
      else if (code === 0x100000 || code === 0x100001) { units.push(code - 0x100000 + 0xfffe); }
      else { return ""; }
    }
    var out = "";
    for (var j = 0; j < units.length; j += 4096) { out += String.fromCharCode.apply(null, units.slice(j, j + 4096)); }
    return out;
  }

  function decodeMeta(meta) {
    var out = {};
    Object.keys(meta || {}).forEach(function (key) {
      out[key] = typeof meta[key] === "string" ? decodeValue(meta[key]) : "";
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
    var groups = chunks(query, options.data);
    var parts = [];
    var filters = options.filters || {};
    var tokens = Object.keys(filters).filter(function (k) { return filters[k] && FILTER_PREFIXES[k]; })
      .sort().map(function (k) { return filterToken(k, filters[k]); });
    // Pagefind answers a word no indexed word starts with by the pages of its longest prefix
    // that has some (特种设备公司 → 特种设备, yyzzq → yyzz): then every result of that index is of
    // that prefix. Base and delta are searched apart, so the first result of each tells (its
    // fragment, which the page usually shows anyway).
    // Pagefind loads only the index chunks whose range holds the word itself, so the words
    // starting with it that run on into the next chunks would be missed (清川县 → 清川县民政局…):
    // the chunks whose first word starts with it are loaded first (state.chunks, both bundles').
    var starts = (state && state.chunks) || [];
    function lookup(word) {
      var more = starts.filter(function (start) { return start.indexOf(word) === 0; });
      return Promise.all(more.map(function (start) { return pagefind.preload(start, {}); })).then(function () {
        return pagefind.search(word);
      }).then(function (s) {
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
    // A chunk's pieces ([{word, list}]): from the left, the longest join of up to four of its
    // words that some page has (身份|证 → 身份证, 住建局|投诉|电话 → 住建局, 投诉电话). A word
    // no page has stays a piece with no pages (so it counts against the results, see below),
    // after a try by its sound; a single character no join takes is dropped (alone it would
    // match every word it starts).
    var singles = ((options.data && options.data.fillers) || []).filter(function (f) { return f.length === 1; }).join("");
    var edges = singles ? new RegExp("^[" + singles + "]+|[" + singles + "]+$", "g") : /^$/;
    function cut(words) {
      var pieces = [];
      function from(i) {
        if (i >= words.length) { return Promise.resolve(pieces); }
        var n = Math.min(4, words.length - i);
        function attempt(k) {
          var word = words.slice(i, i + k).join("");
          if (k === 1 && word.length === 1 && CJK.test(word) && words.length > 1) { return single(i); }
          return lookup(word).then(function (list) {
            if (list.length) { pieces.push({ word: word, list: list }); return from(i + k); }
            // The whole of a short run first by its sound (底|保 → dibao → 低保).
            if (k > 1 && k === n && word.length <= 4 && /^[\u3400-\u9fff]+$/.test(word)) {
              return bySound(word, []).then(function (found) {
                if (found.length) { pieces.push.apply(pieces, found); return from(i + k); }
                return attempt(k - 1);
              });
            }
            if (k > 1) { return attempt(k - 1); }
            // A word the segmenter ran into a filler (局在 of 社保局在哪): the filler goes.
            var bare = word.replace(edges, "");
            if (bare !== word && bare) { words = words.slice(0, i).concat([bare], words.slice(i + 1)); return attempt(1); }
            return bySound(word, [{ word: word, list: list }]).then(function (found) {
              pieces.push.apply(pieces, found);
              return from(i + 1);
            });
          });
        }
        return attempt(n);
      }
      // A single character no join takes. Alone it is dropped, but a run of them is a word the
      // segmenter did not know (年|检 of 车辆年检): if no page has it, not even by its sound, it
      // stays a piece with no pages, so that a query about something the centre does not do is
      // not answered by its generic half (车辆).
      function single(i) {
        var end = i;
        while (end < words.length && words[end].length === 1 && CJK.test(words[end])) { end++; }
        if (end - i < 2) { return from(i + 1); }
        var run = words.slice(i, end).join("");
        return lookup(run).then(function (list) {
          if (list.length) { return [{ word: run, list: list }]; }
          return bySound(run, [{ word: run, list: [] }]);
        }).then(function (found) {
          pieces.push.apply(pieces, found);
          return from(end);
        });
      }
      return from(0);
    }
    // A Chinese piece no page has may be a homophone typo (底保 for 低保, 护招 for 护照): the
    // pages index the pinyin of their names, so the piece's pinyin is looked up (the character
    // readings are loaded only now, search-pinyin.json). It stands for the piece if found.
    function bySound(word, missing) {
      if (!options.pinyin || word.length < 2 || !/^[\u3400-\u9fff]+$/.test(word)) { return Promise.resolve(missing); }
      return options.pinyin().then(function (readings) {
        var sound = readings ? spell(word, readings) : "";
        if (!sound) { return missing; }
        return lookup(sound).then(function (list) { return list.length ? [{ word: word, list: list }] : missing; });
      });
    }
    return Promise.all([Promise.all(groups.map(cut)), Promise.all(tokens.map(lookup))])
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
        // A result must hold more than half of what was asked (counted in characters): a query
        // about something the centre does not do (离婚手续, 核酸检测) shares only its generic half
        // (手续, 检测) with the pages, and gets an honest "not found" instead of those pages.
        var asked = parts.reduce(function (sum, p) { return sum + p.length; }, 0);
        var ranked = Array.from(pages.values()).filter(function (p) {
          return parts.length === 1 ? p.matched > 0 : p.chars * 2 > asked;
        });
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

  // The pinyin of a Chinese word from readings {syllable: characters} (search-pinyin.json), "" if
  // a character has none. The map is turned around once.
  var soundOf = null;
  function spell(word, readings) {
    if (!soundOf) {
      soundOf = new Map();
      Object.keys(readings).forEach(function (syllable) {
        Array.from(readings[syllable]).forEach(function (ch) { if (!soundOf.has(ch)) { soundOf.set(ch, syllable); } });
      });
    }
    var out = "";
    for (var i = 0; i < word.length; i++) {
      var syllable = soundOf.get(word[i]);
      if (!syllable) { return ""; }
      out += syllable;
    }
    return out;
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
    var pinyinUrl = form.getAttribute("data-pinyin");
    var readings = null;
    function pinyin() { return readings || (readings = json(pinyinUrl)); }
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
        var options = { data: found.data, filters: chosenFilters(), pinyin: pinyin };
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
    module.exports = { RANKING: RANKING, decodeMeta: decodeMeta, fold: fold, chunks: chunks, filterToken: filterToken, searchSite: searchSite, marks: marks };
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
