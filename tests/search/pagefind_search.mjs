// Query a built Pagefind bundle from Node, as a browser would: node pagefind_search.mjs SITE_DIR QUERY...
// Prints {"query": ["/url/", ...], ...}. pagefind.js is written for browsers; under Node it runs
// on the main thread (no Worker) and only needs fetch() to read its files from disk.
import { readFile } from "node:fs/promises";
import { pathToFileURL } from "node:url";

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
const found = {};
for (const query of queries) {
  const search = await pagefind.search(query);
  found[query] = (await Promise.all(search.results.map((result) => result.data()))).map((data) => data.url);
}
console.log(JSON.stringify(found));
