#!/usr/bin/env node
// Builds dist/saslprep.browser.js: @mongodb-js/saslprep's browser build with its free `Buffer` (its code-point
// tables and their bitfields read it while they load) bound to the `buffer` package instead of a page global. The
// page's globals stay as they were, and a bundler needs no polyfill. The `browser` condition of `#saslprep` in
// package.json points here; Node uses @mongodb-js/saslprep itself. Run by `npm run build` (docs/websocket.md).
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const out = join(root, "dist", "saslprep.browser.js");
mkdirSync(dirname(out), { recursive: true });
await build({
  stdin: {
    contents: 'import saslprep from "@mongodb-js/saslprep";\nexport default saslprep;\n',
    resolveDir: root,
    loader: "js",
  },
  bundle: true,
  outfile: out,
  platform: "browser",
  format: "esm",
  conditions: ["browser"],
  // `inject` replaces each free use of Buffer with this module's export: no global is read or written.
  inject: [join(root, "scripts", "buffer-shim.mjs")],
  alias: { buffer: dirname(require.resolve("buffer/package.json")) },
  minify: true,
  legalComments: "eof",
  logLevel: "error",
});
