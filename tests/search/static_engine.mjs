// The public site's search under Node, for tests and the relevance suite (static_engine.py):
//   node static_engine.mjs SITE_DIR < {"queries": [...], "limit": 5, "filters": {...}}
// prints {"results": [[url, ...], ...], "pieces": [[...], ...], "suggestions": [[url, ...], ...]}.
// It runs the real query pipeline of the theme's search.js (folding, pieces, per-piece lookups,
// merging, filters, base + delta) over the site's real Pagefind bundle, as the search page does;
// fetch() reads the site's files from disk. Node's ICU segments as current browsers do in
// nearly all words; the browser test has the last word.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";
import "./pagefind_node.mjs"; // fetch() of file: URLs reads the site's files

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const site = require(path.join(here, "../../themes/sunshine/static/js/search.js"));


async function json(file) {
  try { return JSON.parse(await readFile(file, "utf8")); } catch { return null; }
}

const siteDir = path.resolve(process.argv[2]);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const request = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const pagefind = await import(pathToFileURL(`${siteDir}/pagefind/pagefind.js`).href);
await pagefind.options({ baseUrl: "/", ranking: site.RANKING });
const state = (await json(`${siteDir}/pagefind-delta/sunshine-delta.json`)) || {};
if (state.bundle) await pagefind.mergeIndex(pathToFileURL(`${siteDir}/pagefind-delta/`).href, { baseUrl: "/" });
await pagefind.init();
const data = (await json(`${siteDir}/${request.data || "search-data.json"}`)) || {};
let readings = null;
const pinyin = () => readings || (readings = json(`${siteDir}/search-pinyin.json`));

const out = { results: [], pieces: [], suggestions: [] };
const urls = async (list) => Promise.all(list.map(async (r) => (await (r.result || r).data()).url));
for (const query of request.queries) {
  const answer = await site.searchSite(pagefind, state, query, { data, filters: request.filters || {}, pinyin });
  out.results.push(await urls(answer.results.slice(0, request.limit)));
  out.pieces.push(answer.pieces);
  out.suggestions.push(await urls(answer.suggestions));
}
process.stdout.write(JSON.stringify(out));
