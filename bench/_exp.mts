import { runChild } from "./lib/child.js";
import { CONTENDERS, type ContenderId } from "./lib/contenders.js";
import { start, stop, stopAll } from "./lib/servers.js";

const n = Number(process.env.N ?? 20000);
const variants = (
  process.env.V ?? "raw|reguser-many|reguser-many:--single-threaded-gc|reguser-many:--max-semi-space-size=64"
).split("|");
const runs = Number(process.env.R ?? 2);
for (let r = 0; r < runs; r++)
  for (const v of variants) {
    const [id, flags] = v.split(":") as [ContenderId, string | undefined];
    const s = await start((process.env.S ?? "prosody-fast") as never);
    const job = {
      host: s.host,
      port: s.port,
      domain: s.domain,
      n,
      prefix: `x${r}`,
      deadlineMs: 300000,
      ...CONTENDERS[id].job,
    };
    const env = { ...process.env, NODE_OPTIONS: flags ?? "" };
    const res = await runChild({ id, ...CONTENDERS[id] } as never, job as never, undefined, env);
    await stop(s as never);
    if (!res.ok) {
      console.log(v, res.error);
      continue;
    }
    const m = res.measurement;
    console.log(
      `${v.padEnd(50)} ${(m.users / m.seconds).toFixed(0).padStart(6)}/s cpu/1000 ${((m.cpuSeconds / m.users) * 1000).toFixed(4)} user ${m.userSeconds?.toFixed(3)} sys ${m.systemSeconds?.toFixed(3)} rss ${(m.maxRssKb / 1024).toFixed(0)}`,
    );
  }
await stopAll();
