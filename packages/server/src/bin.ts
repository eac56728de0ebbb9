#!/usr/bin/env node
// The reguser-server executable: the embedded server on the process's arguments, streams and signals.
import { runServerCli } from "./cli/main.js";

runServerCli(process.argv.slice(2), process, process).then(
  (status) => {
    process.exitCode = status;
  },
  (err: unknown) => {
    process.stderr.write(`reguser-server: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
