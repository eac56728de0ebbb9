// registerMany / removeMany against one running server: pipelining, partial failures, abort, trap 2.
import { type BulkReport, ConflictError, openStream, registerMany, removeMany, type XmppStream } from "reguser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { strongPassword, uniqueName } from "./names.js";
import type { RunningTarget, Target } from "./target.js";

/** The first few failures, for an assertion message. */
const failures = (report: BulkReport) =>
  report.outcomes
    .filter((o) => !o.ok)
    .slice(0, 5)
    .map((o) => `${o.username}: ${o.ok ? "" : `${o.error.name} ${o.error.message}`}`)
    .join("; ");

export function bulkSuite(target: Target, options: { losesPipelinedReplies: boolean }): void {
  describe("bulk registration", () => {
    let server: RunningTarget;
    const streams: XmppStream[] = [];
    const open = async () => {
      // A server that loses pipelined replies is detected by a request timing out after a later one was answered:
      // there the wait is the cost of every lost reply. Elsewhere it only guards against a hang.
      const timeout = options.losesPipelinedReplies ? 3000 : 20_000;
      const stream = await openStream(server.connect({ timeout }));
      streams.push(stream);
      return stream;
    };
    const accounts = (n: number) =>
      Array.from({ length: n }, () => ({ username: uniqueName("bulk"), password: strongPassword() }));

    beforeAll(async () => {
      server = await target.start();
    });
    afterAll(async () => {
      await Promise.all(streams.map((s) => s.close()));
      await server?.stop();
    });

    it("registers 300 accounts on one stream and removes them again", async () => {
      const users = accounts(300);
      const progress: number[] = [];
      const report = await registerMany(await open(), users, { onProgress: (p) => progress.push(p.done) });
      expect(report).toMatchObject({ ok: 300, failed: 0, aborted: false });
      expect(report.pipeliningFallback).toBe(options.losesPipelinedReplies);
      expect(progress.at(-1)).toBe(300);
      expect(new Set(report.outcomes.map((o) => o.username))).toEqual(new Set(users.map((u) => u.username)));
      // Removing them proves each exists with the password it was given.
      const removal = await removeMany(server.connect(), users, { concurrency: 8 });
      expect(removal.failed, failures(removal)).toBe(0);
      expect(removal.ok).toBe(300);
    });

    it("reports a duplicate without stopping, and spreads over several connections", async () => {
      const users = accounts(120);
      const dup = users[7] as (typeof users)[number];
      const report = await registerMany(await open(), [...users, { ...dup, password: strongPassword() }], {
        connections: 3,
        concurrency: 16,
      });
      expect(report.ok).toBe(120);
      expect(report.failed).toBe(1);
      expect(report.byError).toEqual({ ConflictError: 1 });
      const failure = report.outcomes.find((o) => !o.ok);
      expect(failure).toMatchObject({ username: dup.username });
      expect(failure && !failure.ok && failure.error).toBeInstanceOf(ConflictError);
    });

    it("stops pulling accounts when aborted and reports what was done", async () => {
      const controller = new AbortController();
      function* endless() {
        for (let i = 0; i < 1_000_000; i++) yield { username: uniqueName("ab"), password: strongPassword() };
      }
      const report = await registerMany(await open(), endless(), {
        signal: controller.signal,
        concurrency: 8,
        onProgress: (p) => p.done === 50 && controller.abort(),
      });
      expect(report.aborted).toBe(true);
      expect(report.ok).toBeGreaterThanOrEqual(50);
      expect(report.ok).toBeLessThan(100);
    });
  });
}
