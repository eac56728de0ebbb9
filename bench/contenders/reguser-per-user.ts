// The book's pattern with reguser: per account, open a stream, inquire, register, close. One after another.
import { inquire, openStream, register } from "reguser";
import { accountOf, main, measure } from "./measure.js";

main(async (job) => {
  const stopAt = Date.now() + job.deadlineMs * 0.9;
  return measure(job, async () => {
    let ok = 0;
    let failed = 0;
    let firstError: string | undefined;
    for (let i = 0; i < job.n && Date.now() < stopAt; i++) {
      try {
        const stream = await openStream({ host: job.host, port: job.port, domain: job.domain });
        try {
          await inquire(stream);
          await register(stream, accountOf(job, i));
          ok += 1;
        } finally {
          await stream.close();
        }
      } catch (err) {
        failed += 1;
        firstError ??= (err as Error).name;
      }
    }
    const unreached = job.n - ok - failed;
    const notes = [firstError && `first error ${firstError}`, unreached > 0 && `deadline: ${unreached} not tried`];
    return { ok, failed: failed + unreached, note: notes.filter(Boolean).join("; ") };
  });
});
