// reguser's bulk API: one stream (TCP, or WebSocket when the job has a url), registerMany with the given
// concurrency (or the library default).
import { openStream, type RegisterManyOptions, registerMany } from "reguser";
import { accountOf, type Job, main, measure } from "./measure.js";

function* accounts(job: Job) {
  for (let i = 0; i < job.n; i++) yield accountOf(job, i);
}

main(async (job) => {
  const target = job.url === undefined ? { host: job.host, port: job.port } : { url: job.url };
  const stream = await openStream({ ...target, domain: job.domain });
  const options: RegisterManyOptions = {};
  if (job.concurrency !== undefined) options.concurrency = job.concurrency;
  if (job.keepOutcomes !== undefined) options.keepOutcomes = job.keepOutcomes;
  try {
    return await measure(job, async () => {
      const report = await registerMany(stream, accounts(job), options);
      const errors = Object.entries(report.byError).map(([name, count]) => `${name}×${count}`);
      return { ok: report.ok, failed: report.failed, ...(errors.length ? { note: errors.join(" ") } : {}) };
    });
  } finally {
    await stream.close();
  }
});
