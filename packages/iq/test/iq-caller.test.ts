// The one IQ path on its own: ids, responders, timeouts, aborts, limits, checks, replays, and cleanup every time.
import {
  AbortError,
  ConflictError,
  LimitExceededError,
  NotAuthorizedError,
  ProtocolError,
  TimeoutError,
} from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import { afterEach, describe, expect, it, vi } from "vitest";
import { IqCaller, type IqCallerDeps } from "../src/index.js";

const query = () => xml("query", { xmlns: "jabber:iq:register" });
const get = (attrs: Record<string, string> = {}) => xml("iq", { type: "get", ...attrs }, query());
const result = (id: string, attrs: Record<string, string> = {}) => xml("iq", { type: "result", id, ...attrs });

function caller(extra: Partial<IqCallerDeps> = {}) {
  const sent: Element[] = [];
  let n = 0;
  const iq = new IqCaller({
    send: (el) => sent.push(el),
    nextId: () => `id${++n}`,
    defaultTimeout: 60_000,
    maxPending: 8,
    serverAddresses: () => ["localhost"],
    ...extra,
  });
  const lastId = () => String(sent.at(-1)?.attrs.id);
  return { iq, sent, lastId };
}

afterEach(() => vi.useRealTimers());

describe("IqCaller", () => {
  it("gives a request an id, sends it, and resolves with the result that has that id", async () => {
    const { iq, sent, lastId } = caller();
    const reply = iq.request(get());
    expect(sent).toHaveLength(1);
    expect(lastId()).toBe("id1");
    expect(iq.size).toBe(1);
    expect(iq.handle(result("id1"))).toBe(true);
    expect((await reply).attrs.id).toBe("id1");
    expect(iq.size).toBe(0);
  });

  it("keeps an id it was given, and refuses one already waiting", async () => {
    const { iq } = caller();
    const first = iq.request(get({ id: "mine" }));
    await expect(iq.request(get({ id: "mine" }))).rejects.toBeInstanceOf(ProtocolError);
    iq.handle(result("mine"));
    await first;
  });

  it("accepts a reply only from the server when it asked the server, or from whom it asked", async () => {
    const { iq, lastId } = caller();
    const toServer = iq.request(get());
    const id = lastId();
    expect(iq.handle(result(id, { from: "evil@localhost" }))).toBe(false);
    expect(iq.handle(result(id, { from: "LOCALHOST" }))).toBe(true);
    await toServer;
    const toPeer = iq.request(get({ to: "Juliet@localhost/balcony" }));
    const peerId = lastId();
    expect(iq.handle(result(peerId))).toBe(false);
    expect(iq.handle(result(peerId, { from: "juliet@localhost/balcony" }))).toBe(true);
    await toPeer;
  });

  it("ignores what answers nothing it asked: unknown ids, gets, sets, other stanzas", () => {
    const { iq } = caller();
    expect(iq.handle(result("never"))).toBe(false);
    expect(iq.handle(xml("iq", { type: "get", id: "x" }))).toBe(false);
    expect(iq.handle(xml("message", { id: "x" }))).toBe(false);
  });

  it("turns an error reply into a typed StanzaError with the request's secrets scrubbed", async () => {
    const { iq, lastId } = caller();
    const reply = iq.request(get(), { secrets: ["hunter2-long"] });
    iq.handle(
      xml(
        "iq",
        { type: "error", id: lastId() },
        xml(
          "error",
          { code: "409", type: "cancel" },
          xml("text", { xmlns: "urn:ietf:params:xml:ns:xmpp-stanzas" }, "hunter2-long is taken"),
        ),
      ),
    );
    const err = await reply.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(JSON.stringify(err)).not.toContain("hunter2-long");
    expect(iq.size).toBe(0);
  });

  it("times out with a TimeoutError naming the request, and forgets it", async () => {
    vi.useFakeTimers();
    const { iq, lastId } = caller();
    const reply = iq.request(get(), { timeout: 500 });
    const id = lastId();
    vi.advanceTimersByTime(500);
    const err = await reply.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ timeout: 500, message: "IQ get jabber:iq:register timed out after 500 ms" });
    expect(iq.size).toBe(0);
    expect(iq.handle(result(id))).toBe(false); // a late reply is dropped
  });

  it("times out each request at its own deadline, however many wait and in whatever order they were sent", async () => {
    vi.useFakeTimers();
    const { iq, lastId } = caller();
    const outcome = (p: Promise<Element>) =>
      p.then(
        () => "result",
        (e: Error) => e.name,
      );
    const slow = outcome(iq.request(get(), { timeout: 3_000 }));
    const fast = outcome(iq.request(get(), { timeout: 1_000 }));
    const answered = outcome(iq.request(get(), { timeout: 1_000 }));
    const middle = outcome(iq.request(get(), { timeout: 2_000 }));
    iq.handle(result("id3"));
    vi.advanceTimersByTime(1_000);
    expect(iq.size).toBe(2);
    vi.advanceTimersByTime(999);
    expect(iq.size).toBe(2);
    vi.advanceTimersByTime(1);
    expect(iq.size).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(await Promise.all([slow, fast, answered, middle])).toEqual([
      "TimeoutError",
      "TimeoutError",
      "result",
      "TimeoutError",
    ]);
    expect(iq.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0); // nothing waits, nothing holds the process
    expect(lastId()).toBe("id4");
  });

  it("aborts with AbortError, before sending or while waiting, and forgets it", async () => {
    const { iq, sent } = caller();
    const before = new AbortController();
    before.abort("not now");
    await expect(iq.request(get(), { signal: before.signal })).rejects.toBeInstanceOf(AbortError);
    expect(sent).toHaveLength(0);
    const during = new AbortController();
    const reply = iq.request(get(), { signal: during.signal });
    during.abort();
    await expect(reply).rejects.toBeInstanceOf(AbortError);
    expect(iq.size).toBe(0);
  });

  it("refuses one request more than maxPending with LimitExceededError", async () => {
    const { iq } = caller({ maxPending: 2 });
    void iq.request(get()).catch(() => {});
    void iq.request(get()).catch(() => {});
    await expect(iq.request(get())).rejects.toBeInstanceOf(LimitExceededError);
    iq.rejectAll(new Error("done"));
  });

  it("rejects a result its check throws on, with what the check threw", async () => {
    const { iq, lastId } = caller();
    const refusal = new NotAuthorizedError({ text: "not a login" });
    const reply = iq.request(get(), {
      check: (el) => {
        if (el.getChild("query")) throw refusal;
      },
    });
    iq.handle(xml("iq", { type: "result", id: lastId() }, query()));
    await expect(reply).rejects.toBe(refusal);
    expect(iq.size).toBe(0);
  });

  it("a send that throws rejects the request and leaves nothing pending", async () => {
    const { iq } = caller({
      send: () => {
        throw new Error("socket closed");
      },
    });
    await expect(iq.request(get())).rejects.toThrow("socket closed");
    expect(iq.size).toBe(0);
  });

  it("knows whether every waiting request may be replayed, and resends them with their ids", async () => {
    const { iq, sent } = caller();
    const a = iq.request(get());
    const b = iq.request(xml("iq", { type: "set" }, query()), {
      replay: () => xml("iq", { type: "set" }, xml("rebuilt")),
    });
    expect(iq.allReplayable()).toBe(true);
    const c = iq.request(xml("iq", { type: "set" }, query()));
    expect(iq.allReplayable()).toBe(false);
    iq.resendAll();
    expect(sent.slice(3).map((el) => [el.attrs.id, el.getChildElements()[0]?.name])).toEqual([
      ["id1", "query"],
      ["id2", "rebuilt"],
      ["id3", "query"],
    ]);
    const gone = new Error("stream gone");
    iq.rejectAll(gone);
    for (const p of [a, b, c]) await expect(p).rejects.toBe(gone);
    expect(iq.size).toBe(0);
  });

  it("remembers the secrets of waiting and recently settled requests, for scrubbing", async () => {
    const { iq, lastId } = caller();
    const reply = iq.request(get(), { secrets: ["s3cret-one", undefined] });
    expect(iq.secrets()).toEqual(["s3cret-one"]);
    iq.handle(result(lastId()));
    await reply;
    expect(iq.secrets()).toEqual(["s3cret-one"]);
  });
});
