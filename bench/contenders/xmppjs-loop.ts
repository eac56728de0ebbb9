// What a user writes today with @xmpp/client 0.14.0, which has no XEP-0077: per account connect, send the
// register IQ before authenticating (the `credentials` hook, as in xmppjs/xmpp.js#783), disconnect.
import { client, xml } from "@xmpp/client";
import { accountOf, type Job, main, oneAfterAnother } from "./measure.js";

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

main((job) =>
  oneAfterAnother(
    job,
    (i) => registerOne(job, i),
    (err) => `${err.name}: ${err.message}`,
  ),
);
