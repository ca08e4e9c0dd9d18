// Pagefind's browser bundle under Node, as the search tests query it (static_engine.mjs imports this
// first): pagefind.js runs on the main thread (no Worker) and only needs fetch() to read its files
// from disk (file: URLs).
import { readFile } from "node:fs/promises";

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
