// Query a built site's search as the search page does: the base bundle, the delta bundle merged
// when pagefind-delta/sunshine-delta.json says there is one, and the base's stale results dropped.
//   node pagefind_delta_search.mjs SITE_DIR QUERY...
// Prints {"query": ["/url/", ...], ...} in rank order (every result's data() is loaded).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

// The search page's own merging (themes/sunshine/static/js/search.js).
const { searchMerged } = createRequire(import.meta.url)("../../themes/sunshine/static/js/search.js");

const webFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === "string" ? input : input.url);
  if (url.protocol !== "file:") return webFetch(input, init);
  try {
    return new Response(await readFile(url), { status: 200 });
  } catch {
    return new Response("", { status: 404 });
  }
};

const [siteDir, ...queries] = process.argv.slice(2);
const pagefind = await import(pathToFileURL(`${siteDir}/pagefind/pagefind.js`).href);
await pagefind.options({ baseUrl: "/" });
await pagefind.init();
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
