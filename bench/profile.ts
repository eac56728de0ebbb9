// Profile one contender (node --cpu-prof) against a fresh server and print where the client's time goes.
//   npx tsx --conditions=@reguser/source bench/profile.ts --server prosody-fast --contender reguser-many --n 10000
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./lib/child.js";
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

const dir = mkdtempSync(join(tmpdir(), "reguser-prof-"));
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
  const args = ["--cpu-prof", "--cpu-prof-dir", dir, "--import", "tsx", "--conditions=@reguser/source"];
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, [...args, CONTENDERS[id].file, JSON.stringify(job)], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.on("error", reject);
    child.on("close", () => resolve(stdout.trim()));
  });
  process.stdout.write(`measurement: ${out}\n`);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"))) {
    const summary = summarizeProfile(JSON.parse(readFileSync(join(dir, file), "utf8")), Number(values.top));
    process.stdout.write(`\n${join(dir, file)}: ${summary.totalMs.toFixed(0)} ms profiled (whole process)\n`);
    process.stdout.write("\nself time by package\n");
    for (const p of summary.byPackage) process.stdout.write(`${p.ms.toFixed(0).padStart(8)} ms  ${p.name}\n`);
    process.stdout.write("\nself time by function\n");
    for (const f of summary.byFunction) process.stdout.write(`${f.ms.toFixed(0).padStart(8)} ms  ${f.name}\n`);
  }
} finally {
  await stop(s);
  await stopAll();
}
