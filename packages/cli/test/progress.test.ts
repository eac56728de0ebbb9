// The bulk progress line: a pure function of counts, total and time, on an injected clock (never the machine's).
import { describe, expect, it } from "vitest";
import { durationText, ProgressModel, type ProgressView, progressLine } from "../src/bulk/progress-line.js";
import { RecentRate } from "../src/bulk/recent-rate.js";

const view = (over: Partial<ProgressView>): ProgressView => ({
  done: 0,
  failed: 0,
  byError: {},
  total: 200,
  skipped: 0,
  rate: undefined,
  waitingMs: undefined,
  stopping: undefined,
  ...over,
});

describe("progressLine", () => {
  it("shows the bar, percent, done/total, rate, ETA and failures", () => {
    expect(progressLine(view({ done: 50, rate: 25 }))).toBe(
      "█████░░░░░░░░░░░░░░░ 25% 50/200 | 25/s | ETA 6s | failed 0",
    );
  });

  it("says ETA – before a rate is known, and while nothing comes back", () => {
    expect(progressLine(view({ done: 3 }))).toBe("░░░░░░░░░░░░░░░░░░░░ 1% 3/200 | –/s | ETA – | failed 0");
    expect(progressLine(view({ done: 3, rate: 0 }))).toContain("| 0.0/s | ETA – |");
  });

  it("without a total: the count, no bar, ETA –", () => {
    expect(progressLine(view({ total: undefined, done: 1234, rate: 7.25 }))).toBe(
      "1234 done | 7.3/s | ETA – | failed 0",
    );
  });

  it("fills the bar only at the end, and never runs past 100%", () => {
    expect(progressLine(view({ done: 199, rate: 100 }))).toMatch(/^█{19}░ 99% 199\/200 \| 100\/s \| ETA 1s/);
    expect(progressLine(view({ done: 200, rate: 100 }))).toMatch(/^█{20} 100% 200\/200 \| 100\/s \| ETA 0s/);
    // A CSV's line count is an estimate: more outcomes than it than counted stretch the total.
    expect(progressLine(view({ done: 210, total: 200 }))).toMatch(/^█{20} 100% 210\/210/);
    expect(progressLine(view({ done: 0, total: 0 }))).toMatch(/^█{20} 100% 0\/0 .*ETA 0s/);
  });

  it("names the commonest error class, and how many others there are", () => {
    expect(progressLine(view({ done: 10, failed: 2, byError: { ConflictError: 2 } }))).toContain(
      "| failed 2 (ConflictError)",
    );
    const mixed = { ConflictError: 4, TimeoutError: 1, InvalidRowError: 1 };
    expect(progressLine(view({ done: 10, failed: 6, byError: mixed }))).toContain(
      "| failed 6 (ConflictError 4, others 2)",
    );
    // A tie goes to the first name in alphabetical order, so the line does not flicker between the two.
    expect(progressLine(view({ failed: 2, byError: { TimeoutError: 1, ConflictError: 1 } }))).toContain(
      "(ConflictError 1, others 1)",
    );
  });

  it("shows what --resume skipped, a throttle wait and a Ctrl-C in progress", () => {
    expect(progressLine(view({ done: 10, skipped: 57 }))).toContain("| skipped 57");
    expect(progressLine(view({ done: 10, waitingMs: 3_200 }))).toContain("| waiting 4s for the server's throttle");
    expect(progressLine(view({ done: 10, stopping: { inFlight: 12 } }))).toContain(
      "| stopping: 12 in flight (Ctrl-C again quits at once)",
    );
  });

  it("writes durations as s, m and h", () => {
    expect([59, 60, 65, 3599, 3600, 7380].map(durationText)).toEqual([
      "59s",
      "1m00s",
      "1m05s",
      "59m59s",
      "1h00m",
      "2h03m",
    ]);
  });
});

describe("RecentRate", () => {
  it("is unknown for the first second, then outcomes per second", () => {
    const rate = new RecentRate(0);
    rate.record(500, 40);
    expect(rate.perSecond(500)).toBeUndefined();
    rate.record(1_000, 100);
    expect(rate.perSecond(1_000)).toBe(100);
  });

  it("looks at the last five seconds only: a slowing server shows at once", () => {
    const rate = new RecentRate(0);
    // 100/s for a minute…
    for (let t = 100; t <= 60_000; t += 100) rate.record(t, t / 10);
    expect(rate.perSecond(60_000)).toBeCloseTo(100, 0);
    // …then 10/s for six seconds: the rate is the new one, not the minute's average.
    for (let t = 60_100; t <= 66_000; t += 100) rate.record(t, 6_000 + (t - 60_000) / 100);
    expect(rate.perSecond(66_000)).toBeCloseTo(10, 0);
  });

  it("falls to zero when nothing comes back", () => {
    const rate = new RecentRate(0);
    for (let t = 100; t <= 3_000; t += 100) rate.record(t, t / 10);
    expect(rate.perSecond(3_000)).toBeCloseTo(100, 0);
    expect(rate.perSecond(20_000)).toBe(0);
  });
});

describe("ProgressModel", () => {
  it("turns timed events into the line", () => {
    const model = new ProgressModel(0, 100);
    const counts = { ok: 0, failed: 0, byError: {}, skipped: 0, inFlight: 4 };
    model.update(1_000, { ...counts, ok: 18, failed: 2, byError: { ConflictError: 2 } });
    expect(model.line(1_000)).toBe("████░░░░░░░░░░░░░░░░ 20% 20/100 | 20/s | ETA 4s | failed 2 (ConflictError)");
  });

  it("counts a throttle wait down and then drops it", () => {
    const model = new ProgressModel(0, 100);
    model.waiting(1_000, 8_000);
    expect(model.line(1_000)).toContain("waiting 8s for the server's throttle");
    expect(model.line(6_500)).toContain("waiting 3s for the server's throttle");
    expect(model.line(9_000)).not.toContain("waiting");
  });

  it("after Ctrl-C, says how many requests are still in flight", () => {
    const model = new ProgressModel(0, undefined);
    model.stopping();
    model.update(2_000, { ok: 30, failed: 0, byError: {}, skipped: 0, inFlight: 7 });
    expect(model.line(2_000)).toBe(
      "30 done | 15/s | ETA – | failed 0 | stopping: 7 in flight (Ctrl-C again quits at once)",
    );
  });
});
