// npm run bench: every figure of the benchmark, one part after the other, into bench/RESULTS.md.
//   matrix    bench/run.ts       rates, client CPU and RSS of every contender on every server (its full defaults)
//   fixtures  bench/fixtures.ts  what the test fixtures add per test, against one connection per user and the bulk limit
//   scale     bench/scale.ts     a million accounts on one stream, raw probes per slice, then removal in admin batches
// Each part runs as its own process and writes its own section, so one part can be run again alone
// (npm run bench:matrix / bench:fixtures / bench:scale, each with its own options).
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./lib/child.js";

const PARTS = { matrix: "bench/run.ts", fixtures: "bench/fixtures.ts", scale: "bench/scale.ts" } as const;
type Part = keyof typeof PARTS;

const HELP = `npm run bench -- [--parts matrix,fixtures,scale] [--out bench/RESULTS.md]
  Runs every part with its defaults (about 90 min on 2 cores) and writes each part's section of --out.
  For one part with its own options: npm run bench:matrix -- --help, bench:fixtures, bench:scale.`;

function runPart(part: Part, out: string): Promise<number> {
  const args = ["--import", "tsx", "--conditions=@reguser/source", PARTS[part], "--out", out];
  process.stderr.write(`\n=== bench ${part}: node ${args.slice(3).join(" ")}\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: "inherit" });
    child.on("error", (err) => {
      process.stderr.write(`bench ${part}: ${err.message}\n`);
      resolve(1);
    });
    child.on("close", (code, signal) => resolve(code ?? (signal ? 130 : 1)));
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      parts: { type: "string", default: Object.keys(PARTS).join(",") },
      out: { type: "string", default: "bench/RESULTS.md" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const parts = values.parts.split(",").map((p) => p.trim());
  const unknown = parts.filter((p) => !(p in PARTS));
  if (unknown.length)
    throw new Error(`--parts: unknown ${unknown.join(", ")} (known: ${Object.keys(PARTS).join(", ")})`);
  const failed: string[] = [];
  const started = performance.now();
  // A failed part is reported and the next still runs: the figures of the others are worth having.
  for (const part of parts as Part[]) if ((await runPart(part, values.out)) !== 0) failed.push(part);
  const minutes = (performance.now() - started) / 60_000;
  process.stderr.write(
    `\nbench: ${parts.length - failed.length} of ${parts.length} parts done in ${minutes.toFixed(0)} min` +
      `${failed.length ? `; failed: ${failed.join(", ")} (see above)` : ""}\n`,
  );
  return failed.length ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
