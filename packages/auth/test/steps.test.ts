// The XEP-0078 steps against the embedded server: each method, each refusal, the binding of the JID.
import { AuthMethodUnavailableError, NotAuthorizedError } from "@reguser/errors";
import { embeddedStreams } from "@reguser/test-kit";
import { describe, expect, it } from "vitest";
import { authenticate, authMethods } from "../src/index.js";

const account = { username: "dj", password: "secret-enough" };
const { open } = embeddedStreams({ accounts: [account] });

describe("authMethods", () => {
  it("reports what the server offers, the book's 0k sequence and token included", async () => {
    const methods = await authMethods(await open({ zeroKnowledgeSequences: 100 }), "dj");
    expect(methods).toMatchObject({ plain: true, digest: true, resource: true });
    expect(methods.zeroKnowledge?.sequence).toBe(99);
  });
});

describe("authenticate", () => {
  it.each(["plain", "digest", "0k"] as const)("logs in with %s and binds the stream to the JID", async (method) => {
    const stream = await open();
    expect(stream.jid).toBeUndefined();
    const session = await authenticate(stream, { ...account, resource: "laptop", method });
    expect(session).toEqual({ jid: "dj@localhost/laptop", method });
    expect(stream.jid).toBe("dj@localhost/laptop");
  });

  it("takes the strongest offered method by default: 0k, then digest, then plaintext", async () => {
    expect((await authenticate(await open(), { ...account, resource: "r" })).method).toBe("0k");
  });

  it("takes what is offered when that is less", async () => {
    const digestOrPlain = await open({ authMethods: ["plain", "digest"] });
    expect((await authenticate(digestOrPlain, { ...account, resource: "r" })).method).toBe("digest");
  });

  it("never sends a method the server did not offer", async () => {
    const stream = await open({ authMethods: ["plain"] });
    const err = await authenticate(stream, { ...account, resource: "r", method: "digest" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthMethodUnavailableError);
    expect(stream.jid).toBeUndefined();
  });

  it("a wrong password is a NotAuthorizedError 401, and the stream stays unbound and usable", async () => {
    const stream = await open();
    const wrong = { ...account, password: "not-the-password", resource: "r", method: "digest" as const };
    const err = await authenticate(stream, wrong).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(err).toMatchObject({ code: 401 });
    expect(stream.jid).toBeUndefined();
    await authenticate(stream, { ...account, resource: "r" });
    expect(stream.jid).toBe("dj@localhost/r");
  });
});
