// Register many accounts at the server's speed: pipelined IQ-sets on one stream (or a few), per-account outcomes.
import { ProtocolError } from "@reguser/errors";
import { type NewAccount, type RegisterOptions, register } from "@reguser/register";
import { openStream, type XmppStream } from "@reguser/stream";
import { ensureRegistered } from "./ensure-registered.js";
import { runPipeline } from "./pipeline.js";
import { type BulkProgress, type BulkReport, type Outcome, ReportBuilder } from "./report.js";
import { type Accounts, iteratorOf } from "./source.js";

export interface BulkOptions {
  /** Requests in flight per stream. Default 64. */
  concurrency?: number;
  /** Streams to spread the work over; extra ones are opened like the first. Default 1. */
  connections?: number;
  /** Milliseconds to wait for each reply; defaults to the stream's timeout. */
  timeout?: number;
  /** Stops sending; requests already sent still get their outcome. */
  signal?: AbortSignal;
  /** Called after each outcome with the counts so far (done, ok, failed, in flight). */
  onProgress?: (progress: BulkProgress) => void;
  /** Each outcome as it happens (for runs too large to keep them all). */
  onOutcome?: (outcome: Outcome) => void;
  /** Keep every outcome in the report. Default true; false keeps memory flat for huge runs. */
  keepOutcomes?: boolean;
}

export type RegisterManyOptions = BulkOptions & Pick<RegisterOptions, "saslprep">;

export const DEFAULT_CONCURRENCY = 64;

/**
 * Register every account of `accounts` on `stream` (and `connections - 1` more like it), up to `concurrency`
 * requests in flight per stream; per-account outcomes in the report. An account without username or password
 * fails on its own with `InvalidOptionError`, unsent; the others go on.
 */
export async function registerMany(
  stream: XmppStream,
  accounts: Accounts<NewAccount>,
  options: RegisterManyOptions = {},
): Promise<BulkReport> {
  const report = new ReportBuilder(options);
  const requestOptions = { timeout: options.timeout, saslprep: options.saslprep };
  const streams = [stream, ...(await extraStreams(stream, (options.connections ?? 1) - 1))];
  const source = iteratorOf(accounts);
  const suspects: NewAccount[] = [];
  try {
    const results = await Promise.all(
      streams.map((s) =>
        runPipeline({
          stream: s,
          source,
          window: options.concurrency ?? DEFAULT_CONCURRENCY,
          signal: options.signal,
          name: (account) => account.username,
          run: (target, account) => register(target, account, requestOptions),
          report,
          suspects,
        }),
      ),
    );
    for (const account of suspects) {
      report.add(await ensureRegistered(stream.openOptions ?? { host: stream.host }, account, requestOptions));
    }
    return report.finish({
      aborted: options.signal?.aborted ?? false,
      error: results.find((r) => r.error)?.error,
      pipeliningFallback: results.some((r) => r.lostReplies),
    });
  } finally {
    await Promise.all(streams.slice(1).map((s) => s.close()));
  }
}

async function extraStreams(stream: XmppStream, count: number): Promise<XmppStream[]> {
  if (count <= 0) return [];
  const options = stream.openOptions;
  if (!options)
    throw new ProtocolError("connections > 1 needs a stream opened with openStream (its options are reused)");
  return Promise.all(Array.from({ length: count }, () => openStream(options)));
}
