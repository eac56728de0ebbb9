#!/usr/bin/env node
// The size a web page pays for reguser: errors, protocol, iq, stream (WebSocket), register and auth bundled from the
// built dist/ with their `browser` condition, minified, then gzipped. SASLprep's tables are their own chunk, loaded
// only for a password that is not printable ASCII. `npm run size:browser`.
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const entry = `
export { authenticate, authMethods } from "@reguser/auth";
export * from "@reguser/errors";
export { changePassword, inquire, register, removeAccount } from "@reguser/register";
export { discoverWebSocketUrl, openStream } from "@reguser/stream";
`;
const result = await build({
  stdin: { contents: entry, resolveDir: process.cwd(), loader: "js" },
  bundle: true,
  splitting: true,
  write: false,
  outdir: "out",
  platform: "browser",
  format: "esm",
  conditions: ["browser"],
  minify: true,
  logLevel: "error",
});
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const file of result.outputFiles) {
  const lazy = file.contents.length > 100 * 1024 ? "SASLprep's tables, loaded lazily" : "a chunk they share, lazily";
  const name = file.path.endsWith("stdin.js") ? "what every page loads" : lazy;
  console.log(
    `${name}: ${kib(file.contents.length)} minified, ${kib(gzipSync(file.contents, { level: 9 }).length)} gzipped`,
  );
}
