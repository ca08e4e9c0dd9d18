// Query a built site's search as the search page does: the base bundle, the delta bundle merged
// when pagefind-delta/sunshine-delta.json says there is one, and the base's stale results dropped.
//   node pagefind_delta_search.mjs SITE_DIR QUERY...
// Prints {"query": ["/url/", ...], ...} in rank order (every result's data() is loaded).
import { readFile } from "node:fs/promises";
import { loadPagefind } from "./pagefind_node.mjs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// The search page's own merging (themes/sunshine/static/js/search.js).
const { searchMerged } = createRequire(import.meta.url)("../../themes/sunshine/static/js/search.js");

const [siteDir, ...queries] = process.argv.slice(2);
const pagefind = await loadPagefind(siteDir);
let state = {};
try {
  state = JSON.parse(await readFile(`${siteDir}/pagefind-delta/sunshine-delta.json`, "utf8"));
  if (state.bundle) await pagefind.mergeIndex(pathToFileURL(`${siteDir}/pagefind-delta/`).href, { baseUrl: "/" });
} catch (error) {
  if (error.code !== "ENOENT") throw error;
}
const found = {};
for (const query of queries) {
  const kept = await searchMerged(pagefind, state, query);
  found[query] = (await Promise.all(kept.map((result) => result.data()))).map((data) => data.url);
}
console.log(JSON.stringify(found));
