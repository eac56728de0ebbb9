// What to run: command-line flags (`npm run bench -- --n 1000 --runs 3`), else BENCH_* variables, else the full matrix.
import { parseArgs } from "node:util";
import { CONTENDER_IDS, type ContenderId } from "./contenders.js";
import { SERVER_IDS, type ServerId } from "./servers.js";

export interface BenchConfig {
  sizes: number[];
  runs: number;
  servers: ServerId[];
  contenders: ContenderId[];
  /** registerMany concurrencies tried on the servers where the client matters. */
  sweep: number[];
  /** A per-connection contender is run at a larger N only if its estimate stays under this (seconds). */
  perUserCapSeconds: number;
  /** Where the results go; "" writes nothing. The figures go next to it as JSON. */
  out: string;
  /** Re-render a saved run's JSON instead of measuring. */
  from: string | undefined;
}

const HELP = `npm run bench -- [options]
  --n 1000,10000            accounts per run (BENCH_N)
  --runs 3                  runs per contender, server and N; medians reported (BENCH_RUNS)
  --servers ${SERVER_IDS.join(",")}   (BENCH_SERVERS)
  --contenders ${CONTENDER_IDS.join(",")}
                            (BENCH_CONTENDERS)
  --sweep 16,64,256,1024    registerMany concurrencies tried on prosody-fast and ejabberd (BENCH_SWEEP; "" for none)
  --per-user-cap 180        seconds: skip a per-connection contender at a larger N when its estimate exceeds this
  --out bench/RESULTS.md    results file ("" to write none); its figures are saved next to it as .json (BENCH_OUT)
  --from bench/RESULTS.json re-render a saved run's figures (table, verdicts) without measuring`;

function list(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function numbers(text: string, what: string): number[] {
  const values = list(text).map(Number);
  if (values.some((v) => !Number.isInteger(v) || v <= 0)) throw new Error(`--${what}: positive integers, got ${text}`);
  return values;
}

function oneOf<T extends string>(values: string[], allowed: readonly T[], what: string): T[] {
  const bad = values.filter((v) => !allowed.includes(v as T));
  if (bad.length) throw new Error(`--${what}: unknown ${bad.join(", ")} (known: ${allowed.join(", ")})`);
  return values as T[];
}

export function readConfig(argv: string[], env: NodeJS.ProcessEnv): BenchConfig | undefined {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: "string" },
      runs: { type: "string" },
      servers: { type: "string" },
      contenders: { type: "string" },
      sweep: { type: "string" },
      "per-user-cap": { type: "string" },
      out: { type: "string" },
      from: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return undefined;
  }
  const pick = (flag: string | undefined, name: string, fallback: string) => flag ?? env[name] ?? fallback;
  const runs = numbers(pick(values.runs, "BENCH_RUNS", "3"), "runs")[0] ?? 3;
  return {
    sizes: numbers(pick(values.n, "BENCH_N", "1000,10000"), "n").sort((a, b) => a - b),
    runs,
    servers: oneOf(list(pick(values.servers, "BENCH_SERVERS", SERVER_IDS.join(","))), SERVER_IDS, "servers"),
    contenders: oneOf(
      list(pick(values.contenders, "BENCH_CONTENDERS", CONTENDER_IDS.join(","))),
      CONTENDER_IDS,
      "contenders",
    ),
    sweep: numbers(pick(values.sweep, "BENCH_SWEEP", "16,64,256,1024"), "sweep"),
    perUserCapSeconds: numbers(pick(values["per-user-cap"], "BENCH_PER_USER_CAP", "180"), "per-user-cap")[0] ?? 180,
    out: pick(values.out, "BENCH_OUT", "bench/RESULTS.md"),
    from: values.from,
  };
}
