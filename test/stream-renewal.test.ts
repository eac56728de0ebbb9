// A registration stream outliving the server's limit for unauthenticated streams (docs/shipped.md#unauthenticated-streams):
// Prosody closes it after `c2s_timeout` with `connection-timeout`, and registerMany goes on over a fresh stream.
import { startServer as startEmbedded } from "@reguser/server";
import {
  ConnectionError,
  type NewAccount,
  type OpenStreamOptions,
  openStream,
  registerMany,
  StreamError,
} from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { prosody } from "./support/real-targets.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `batches` batches of `size` accounts, with a pause longer than the server's limit before each but the first. */
async function* pacedAccounts(prefix: string, batches: number, size: number, pauseMs: number) {
  for (let b = 0; b < batches; b++) {
    if (b > 0) await sleep(pauseMs);
    for (let i = 0; i < size; i++) yield { username: `${prefix}${b}x${i}`, password: `${prefix}-pw-${b}-${i}` };
  }
}

/**
 * Accounts five at a time, 5 ms apart, for `ms` (and at most 20,000): the server's limit falls mid-flight. With
 * `checkpoint`, every 100 accounts wait for it first.
 */
async function* steadyAccounts(prefix: string, ms: number, checkpoint?: (at: number) => Promise<void>) {
  const until = performance.now() + ms;
  for (let i = 0; i < 20_000 && performance.now() < until; i++) {
    if (checkpoint && i > 0 && i % 100 === 0) await checkpoint(i);
    if (i % 5 === 0) await sleep(5);
    yield { username: `${prefix}${i}`, password: `${prefix}-pw-${prefix}${i}` };
  }
}

async function expectAllLogIn(connect: OpenStreamOptions, accounts: NewAccount[]): Promise<void> {
  for (const { username, password = "" } of accounts) expect(await canLogIn(connect, username, password)).toBe(true);
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

function renewalCases(connectTo: () => OpenStreamOptions, limitMs: number): void {
  it("opens a fresh stream each time the server times one out, and registers every account", async () => {
    const connect = connectTo();
    const stream = await openStream(connect);
    try {
      const report = await registerMany(stream, pacedAccounts("renew", 3, 20, limitMs * 1.5));
      expect(report.failed).toBe(0);
      expect(report.ok).toBe(60);
      expect(report.error).toBeUndefined();
      // Two pauses longer than the limit: at least two streams timed out (more on a machine slow enough).
      expect(report.renewedStreams).toBeGreaterThanOrEqual(2);
      expect(stream.closed).toBe(true);
      await expectAllLogIn(connect, await collect(pacedAccounts("renew", 3, 20, 0)));
    } finally {
      await stream.close();
    }
  });

  it("settles at once the requests in flight when the server times the stream out under them", async () => {
    const connect = connectTo();
    const stream = await openStream(connect);
    const registered: NewAccount[] = [];
    let outcomes = 0;
    let waiter: { at: number; resolve: () => void } | undefined;
    // Every 100 accounts the source waits for every earlier outcome (as a checkpointing caller does): outcomes held
    // back to the end of the run would never come, and the hang guard would fail the test.
    const settledUpTo = (at: number) =>
      outcomes >= at
        ? Promise.resolve()
        : Promise.race([
            new Promise<void>((resolve) => (waiter = { at, resolve })),
            sleep(60_000).then(() => {
              throw new Error(`outcomes stayed at ${outcomes} of ${at}: some were held back`);
            }),
          ]);
    const report = await registerMany(stream, steadyAccounts("steady", limitMs * 3, settledUpTo), {
      onOutcome: (o) => {
        outcomes += 1;
        if (o.ok) registered.push({ username: o.username, password: `steady-pw-${o.username}` });
        if (waiter && outcomes >= waiter.at) waiter.resolve();
      },
    });
    expect(report.failed).toBe(0);
    expect(report.error).toBeUndefined();
    expect(report.renewedStreams).toBeGreaterThanOrEqual(2);
    expect(report.ok).toBe(registered.length);
    await expectAllLogIn(
      connect,
      registered.filter((_, i) => i % 25 === 0 || i === registered.length - 1),
    );
    await stream.close();
  });

  it("does not renew a stream that timed out before any registration succeeded on it: the run ends with the error", async () => {
    const stream = await openStream(connectTo());
    try {
      await stream.ended;
      const report = await registerMany(stream, pacedAccounts("stale", 1, 5, 0));
      expect(report.ok).toBe(0);
      expect(report.renewedStreams).toBe(0);
      expect(report.error).toBeInstanceOf(StreamError);
      expect((report.error as StreamError).condition).toBe("connection-timeout");
      expect(report.error?.message).toMatch(/c2s_timeout/);
    } finally {
      await stream.close();
    }
  });
}

describeTarget(prosody, () => {
  let server: RunningServer | undefined;
  beforeAll(async () => {
    // internal_plain (fast), where a login for an unknown user is never answered (trap 6): the requests the closing
    // failed must be settled without asking about accounts that may not exist.
    server = await startServer("prosody", { unauthenticatedTimeout: 2, fast: true });
  });
  afterAll(async () => {
    await server?.stop();
  });
  renewalCases(() => {
    if (!server) throw new Error("Prosody did not start");
    return connectTo(server);
  }, 2_000);
});

let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined;
beforeAll(async () => {
  embedded = await startEmbedded({ authTimeout: 500 });
});
afterAll(async () => {
  await embedded?.close();
});
renewalCases(() => {
  if (!embedded) throw new Error("the embedded server did not start");
  return { host: embedded.host, port: embedded.port, domain: embedded.domain, tls: "none" };
}, 500);

it("does not renew a stream the caller closed: the run ends with that close", async () => {
  if (!embedded) throw new Error("the embedded server did not start");
  const stream = await openStream({ host: embedded.host, port: embedded.port, domain: embedded.domain, tls: "none" });
  let closing: Promise<void> | undefined;
  const report = await registerMany(stream, steadyAccounts("closed", 60_000), {
    onOutcome: () => {
      closing ??= stream.close();
    },
  });
  await closing;
  expect(report.renewedStreams).toBe(0);
  expect(report.error).toBeInstanceOf(ConnectionError);
  expect((report.error as ConnectionError).lost).toBeUndefined();
});
