// The README's example is examples/start.ts, verbatim, and it runs.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

it("shows examples/start.ts in the README and runs it", async () => {
  const example = readFileSync(path("../examples/start.ts"), "utf8");
  expect(readFileSync(path("../README.md"), "utf8")).toContain(example.trim());
  const { stdout } = await promisify(execFile)(
    "npx",
    ["tsx", "--conditions=@reguser/source", path("../examples/start.ts")],
    { timeout: 20_000 },
  );
  expect(stdout).toMatch(
    /^0k offered: sequence 99, token [0-9A-F]+\nlogged in as leslie@localhost\/readme; the server keeps N = 99\n$/,
  );
}, 25_000);
