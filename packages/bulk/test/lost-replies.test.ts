// The lost-reply detector (docs/traps.md#trap-2): the probe pair finds jabberd2's losses at once, and an in-order
// server that answers both keeps the whole window.
import { describe, expect, it } from "vitest";
import { LOST, LostReplyDetector } from "../src/lost-replies.js";

const never = new Promise<never>(() => undefined);

describe("LostReplyDetector", () => {
  it("sends the first request alone, then a pair, then opens the window when both are answered", () => {
    const d = new LostReplyDetector();
    expect(d.window(64)).toBe(1);
    d.answered(d.send());
    expect(d.window(64)).toBe(2);
    const [a, b] = [d.send(), d.send()];
    d.answered(a);
    expect(d.window(64)).toBe(2);
    d.answered(b);
    expect(d.window(64)).toBe(64);
    expect(d.lost).toBe(false);
  });

  it("finds the earlier reply of the pair lost when the later one is answered first", async () => {
    const d = new LostReplyDetector();
    d.answered(d.send());
    const [a, b] = [d.send(), d.send()];
    const first = d.race(a, never);
    d.answered(b);
    expect(await first).toBe(LOST);
    expect(d.lost).toBe(true);
    expect(d.window(64)).toBe(1);
  });

  it("is not fooled when both replies came in one read and the earlier one's handlers ran after the later's", async () => {
    const d = new LostReplyDetector();
    d.answered(d.send());
    const [a, b] = [d.send(), d.send()];
    let resolveA: (v: string) => void = () => undefined;
    const first = d.race(a, new Promise<string>((resolve) => (resolveA = resolve)));
    d.answered(b);
    resolveA("result");
    expect(await first).toBe("result");
    await new Promise((resolve) => setImmediate(resolve));
    expect(d.lost).toBe(false);
    expect(d.window(64)).toBe(64);
  });

  it("only races the probe's earlier request: others get their own reply", async () => {
    const d = new LostReplyDetector();
    const reply = Promise.resolve("result");
    expect(d.race(d.send(), reply)).toBe(reply);
    d.answered(0);
    const [a, b] = [d.send(), d.send()];
    expect(d.race(b, reply)).toBe(reply);
    d.answered(a);
    d.answered(b);
    expect(d.race(d.send(), reply)).toBe(reply);
  });

  it("still takes a timeout after a later answer as a loss (losses that come after the probe)", () => {
    const d = new LostReplyDetector();
    d.answered(d.send());
    const [a, b] = [d.send(), d.send()];
    d.answered(a);
    d.answered(b);
    const [c, e] = [d.send(), d.send()];
    d.answered(e);
    expect(d.timedOut(c)).toBe(true);
    expect(d.window(64)).toBe(1);
  });
});
