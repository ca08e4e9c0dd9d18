// Query a built Pagefind bundle from Node, as a browser would: node pagefind_search.mjs SITE_DIR QUERY...
// Prints {"query": ["/url/", ...], ...}. pagefind.js is written for browsers; under Node it runs
// on the main thread (no Worker) and only needs fetch() to read its files from disk.
import { loadPagefind } from "./pagefind_node.mjs";

const [siteDir, ...queries] = process.argv.slice(2);
const pagefind = await loadPagefind(siteDir);
const found = {};
for (const query of queries) {
  const search = await pagefind.search(query);
  found[query] = (await Promise.all(search.results.map((result) => result.data()))).map((data) => data.url);
}
console.log(JSON.stringify(found));
