// Query a built site's search as the search page does, from the command line (bench/):
//   node pagefind_delta_search.mjs SITE_DIR QUERY...
// Prints {"query": ["/url/", ...], ...}, every result in rank order. It feeds static_engine.mjs
// (the search page's own search.js over the base bundle, the delta bundle merged when
// pagefind-delta/sunshine-delta.json says there is one, the base's stale results dropped).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const [siteDir, ...queries] = process.argv.slice(2);
const engine = path.join(path.dirname(fileURLToPath(import.meta.url)), "static_engine.mjs");
const run = spawnSync(process.execPath, [engine, siteDir],
  { input: JSON.stringify({ queries, limit: 100000 }), encoding: "utf8", maxBuffer: 1 << 28 });
if (run.status !== 0) {
  process.stderr.write(run.stderr);
  process.exit(run.status || 1);
}
const { results } = JSON.parse(run.stdout);
console.log(JSON.stringify(Object.fromEntries(queries.map((q, i) => [q, results[i]]))));
