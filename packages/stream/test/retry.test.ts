// The one retry loop (open, reopen, the bulk helpers): what it retries, how often, after which pauses.
import { ConnectionError, NotAuthorizedError, StreamError } from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { backoff, isStreamLost, isTransientRefusal, RetryBudget, retry } from "../src/retry.js";

const refusal = () => new StreamError({ condition: "internal-server-error" });

/** An attempt that fails with each of `errors` in turn, then succeeds; counts its calls. */
function failing(...errors: Error[]) {
  const attempt = async () => {
    attempt.calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return "done";
  };
  attempt.calls = 0;
  return attempt;
}

describe("retry", () => {
  it("tries again after a transient failure and returns the success", async () => {
    const attempt = failing(refusal(), refusal());
    await expect(retry({ retries: 3, delay: 1 }, isTransientRefusal, attempt)).resolves.toBe("done");
    expect(attempt.calls).toBe(3);
  });

  it("throws at once what isTransient refuses", async () => {
    const denied = new NotAuthorizedError();
    const attempt = failing(denied);
    await expect(retry({ retries: 3, delay: 1 }, isTransientRefusal, attempt)).rejects.toBe(denied);
    expect(attempt.calls).toBe(1);
  });

  it("throws the last error once the retries are spent", async () => {
    const last = refusal();
    const attempt = failing(refusal(), refusal(), last);
    await expect(retry({ retries: 2, delay: 1 }, isTransientRefusal, attempt)).rejects.toBe(last);
    expect(attempt.calls).toBe(3);
  });

  it("stops retrying once the signal aborted", async () => {
    const controller = new AbortController();
    const first = refusal();
    const attempt = failing(first, refusal());
    controller.abort();
    await expect(retry({ retries: 5, delay: 1, signal: controller.signal }, isTransientRefusal, attempt)).rejects.toBe(
      first,
    );
    expect(attempt.calls).toBe(1);
  });

  it("shares one budget between loops", async () => {
    const budget = new RetryBudget({ retries: 2, delay: 1 });
    await retry(budget, isTransientRefusal, failing(refusal()));
    expect(budget.left).toBe(1);
    await expect(retry(budget, isTransientRefusal, failing(refusal(), refusal()))).rejects.toBeInstanceOf(StreamError);
    expect(budget.left).toBe(0);
  });
});

describe("backoff", () => {
  it("doubles by default, grows by the delay when linear", () => {
    expect([0, 1, 2, 3].map((i) => backoff({ retries: 4, delay: 300 }, i))).toEqual([300, 600, 1200, 2400]);
    expect([0, 1, 2].map((i) => backoff({ retries: 3, delay: 300, backoff: "linear" }, i))).toEqual([300, 600, 900]);
  });
});

describe("what counts as transient", () => {
  it("a refusal is internal-server-error only; a lost stream is any stream error or dropped connection", () => {
    expect(isTransientRefusal(refusal())).toBe(true);
    expect(isTransientRefusal(new StreamError({ condition: "conflict" }))).toBe(false);
    expect(isTransientRefusal(new ConnectionError("gone"))).toBe(false);
    expect(isStreamLost(new StreamError({ condition: "conflict" }))).toBe(true);
    expect(isStreamLost(new ConnectionError("gone"))).toBe(true);
    expect(isStreamLost(new NotAuthorizedError())).toBe(false);
  });
});
