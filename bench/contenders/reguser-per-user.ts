// The book's pattern with reguser: per account, open a stream, inquire, register, close. One after another.
import { inquire, openStream, register } from "reguser";
import { accountOf, main, oneAfterAnother } from "./measure.js";

main((job) =>
  oneAfterAnother(job, async (i) => {
    const stream = await openStream({ host: job.host, port: job.port, domain: job.domain });
    try {
      const inquiry = await inquire(stream);
      await register(stream, accountOf(job, i), { inquiry });
    } finally {
      await stream.close();
    }
  }),
);
