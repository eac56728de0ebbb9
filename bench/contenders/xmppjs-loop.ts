// What a user writes today with @xmpp/client 0.14.0, which has no XEP-0077: per account connect, send the
// register IQ before authenticating (the `credentials` hook, as in xmppjs/xmpp.js#783), disconnect.
import { client, xml } from "@xmpp/client";
import { accountOf, type Job, main, measure } from "./measure.js";

const NS_REGISTER = "jabber:iq:register";

/** Node 20.10 has no Promise.withResolvers. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function registerOne(job: Job, i: number): Promise<void> {
  const { username, password } = accountOf(job, i);
  const stopping = deferred<void>();
  const outcome = deferred<void>();
  const stopped = stopping.resolve;
  const registered = outcome.resolve;
  const failed = outcome.reject;
  const xmpp = client({
    service: `xmpp://${job.host}:${job.port}`,
    domain: job.domain,
    // Called when the server offers SASL: register instead of logging in, and never log in.
    credentials: async () => {
      try {
        await xmpp.iqCaller.set(
          xml("query", { xmlns: NS_REGISTER }, xml("username", {}, username), xml("password", {}, password)),
        );
        registered();
      } catch (err) {
        failed(err as Error);
      }
      await stopping.promise;
      throw new Error("registered: not logging in");
    },
  });
  xmpp.on("error", (err: Error) => failed(err));
  xmpp.start().catch((err: Error) => failed(err));
  try {
    await outcome.promise;
  } finally {
    stopped();
    await xmpp.stop().catch(() => {});
  }
}

main(async (job) => {
  const stopAt = Date.now() + job.deadlineMs * 0.9;
  return measure(job, async () => {
    let ok = 0;
    let failed = 0;
    let firstError: string | undefined;
    for (let i = 0; i < job.n && Date.now() < stopAt; i++) {
      try {
        await registerOne(job, i);
        ok += 1;
      } catch (err) {
        failed += 1;
        firstError ??= `${(err as Error).name}: ${(err as Error).message}`;
      }
    }
    const unreached = job.n - ok - failed;
    const notes = [firstError && `first error ${firstError}`, unreached > 0 && `deadline: ${unreached} not tried`];
    return { ok, failed: failed + unreached, note: notes.filter(Boolean).join("; ") };
  });
});
