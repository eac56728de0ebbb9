// Profile one contender's timed phase (V8's CPU profiler, as `node --cpu-prof` uses, sampled every 100 µs) against
// a fresh server, and print where the client's time goes. The packages run from their built dist/ (`npm run build`).
//   npx tsx bench/profile.ts --server prosody-fast --contender reguser-many --n 10000
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runChild } from "./lib/child.js";
import { CONTENDER_IDS, CONTENDERS, type ContenderId } from "./lib/contenders.js";
import { summarizeProfile } from "./lib/cpu-profile.js";
import { SERVER_IDS, type ServerId, start, stop, stopAll } from "./lib/servers.js";

const { values } = parseArgs({
  options: {
    server: { type: "string", default: "prosody-fast" },
    contender: { type: "string", default: "reguser-many" },
    n: { type: "string", default: "10000" },
    concurrency: { type: "string" },
    top: { type: "string", default: "30" },
  },
});
const server = values.server as ServerId;
const id = values.contender as ContenderId;
if (!SERVER_IDS.includes(server) || !CONTENDER_IDS.includes(id) || CONTENDERS[id].runtime !== "node") {
  throw new Error(`--server ${SERVER_IDS.join("|")} --contender (a Node one) ${CONTENDER_IDS.join("|")}`);
}

const file = join(mkdtempSync(join(tmpdir(), "reguser-prof-")), `${id}-${server}.cpuprofile`);
const s = await start(server);
try {
  const job = {
    host: s.host,
    port: s.port,
    domain: s.domain,
    n: Number(values.n),
    prefix: "p",
    deadlineMs: 300_000,
    ...CONTENDERS[id].job,
    ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
  };
  const run = await runChild({ id, ...CONTENDERS[id] }, job, undefined, { ...process.env, BENCH_CPU_PROFILE: file });
  if (!run.ok) throw new Error(`the contender failed: ${run.error}`);
  const m = run.measurement;
  process.stdout.write(
    `measurement: ${m.ok} ok, ${m.failed} failed, ${(m.users / m.seconds).toFixed(0)} users/s, ` +
      `${((m.cpuSeconds * 1e6) / m.users).toFixed(1)} µs client CPU per account (${m.cpuSeconds.toFixed(3)} s)\n`,
  );
  const summary = summarizeProfile(JSON.parse(readFileSync(file, "utf8")), Number(values.top));
  process.stdout.write(`\n${file}: ${summary.totalMs.toFixed(0)} ms profiled (the timed phase)\n`);
  process.stdout.write("\nself time by package\n");
  for (const p of summary.byPackage) process.stdout.write(`${p.ms.toFixed(0).padStart(8)} ms  ${p.name}\n`);
  process.stdout.write("\nself time by function\n");
  for (const f of summary.byFunction) process.stdout.write(`${f.ms.toFixed(1).padStart(8)} ms  ${f.name}\n`);
} finally {
  await stop(s);
  await stopAll();
}
