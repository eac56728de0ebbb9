#!/usr/bin/env node
// The `reguser` executable: run main() on the process's arguments and streams, exit with its status.
import { main } from "./main.js";

main(process.argv.slice(2), process).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(
      `reguser: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exitCode = 1;
  },
);
