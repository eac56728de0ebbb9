// Each rule of the embedded server, through the real reguser client.

import xml from "@xmpp/xml";
import {
  authenticate,
  authMethods,
  ConflictError,
  FeatureNotImplementedError,
  inquire,
  NotAcceptableError,
  NotAuthorizedError,
  openStream,
  register,
  removeAccount,
  type StanzaError,
} from "reguser";
import { afterEach, describe, expect, it } from "vitest";
import { type EmbeddedServer, type ServerOptions, startServer } from "../src/index.js";

let server: EmbeddedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});
const start = async (options: ServerOptions = {}) => {
  server = await startServer(options);
  return { host: server.host, port: server.port, domain: server.domain, timeout: 10_000 };
};
const account = { username: "dj", password: "secret-enough" };

describe("registration rules", () => {
  it("checks missing fields (406) and taken names (409) before 'registration is off' (501)", async () => {
    const open = await start({ registration: false });
    const stream = await openStream(open);
    await expect(inquire(stream)).rejects.toBeInstanceOf(FeatureNotImplementedError);
    // Sent by hand: the client refuses a registration without a password before sending it.
    const noPassword = xml("query", { xmlns: "jabber:iq:register" }, xml("username", {}, "x"));
    await expect(stream.request(xml("iq", { type: "set" }, noPassword))).rejects.toBeInstanceOf(NotAcceptableError);
    await expect(register(stream, account)).rejects.toMatchObject({ code: 501, condition: "feature-not-implemented" });
    await stream.close();
  });

  it("writes errors in the chosen style", async () => {
    for (const errors of ["legacy", "modern", "both"] as const) {
      const open = await start({ errors });
      const stream = await openStream(open);
      await register(stream, account);
      const err = (await register(stream, account).catch((e) => e)) as StanzaError;
      expect(err).toBeInstanceOf(ConflictError);
      const sent = err.element?.getChild("error");
      expect(sent?.attrs.code !== undefined).toBe(errors !== "modern");
      expect(sent?.attrs.type !== undefined).toBe(errors !== "legacy");
      await stream.close();
      await server?.close();
    }
  });

  it("removes an account in session: result, then the stream ends; the name is free again", async () => {
    const open = await start();
    const stream = await openStream(open);
    await register(stream, account);
    await authenticate(stream, { ...account, resource: "r" });
    await removeAccount(stream);
    expect(stream.closed).toBe(true);
    expect(server?.users.has("dj")).toBe(false);
    const again = await openStream(open);
    await register(again, account);
    await again.close();
  });
});

describe("authentication rules", () => {
  it("walks the 0k sequence down by one per login, and refuses 0k once it is used up", async () => {
    const open = await start({ zeroKnowledgeSequences: 3 });
    const setup = await openStream(open);
    await register(setup, account);
    await setup.close();
    const sequences: number[] = [];
    for (let i = 0; i < 3; i++) {
      const stream = await openStream(open);
      sequences.push((await authMethods(stream, "dj")).zeroKnowledge?.sequence ?? -1);
      await authenticate(stream, { ...account, resource: `r${i}`, method: "0k" });
      await stream.close();
    }
    expect(sequences).toEqual([2, 1, 0]);
    const spent = await openStream(open);
    expect((await authMethods(spent, "dj")).zeroKnowledge).toBeUndefined();
    expect(await authenticate(spent, { ...account, resource: "r9", method: "auto" })).toMatchObject({
      method: "digest",
    });
    await spent.close();
  });

  it("offers only the configured methods", async () => {
    const open = await start({ authMethods: ["plain"] });
    const stream = await openStream(open);
    await register(stream, account);
    expect(await authMethods(stream, "dj")).toMatchObject({ plain: true, digest: false, zeroKnowledge: undefined });
    await stream.close();
  });

  it("answers 401 to a wrong password, 406 to a missing resource, 409 to a resource in use", async () => {
    const open = await start();
    const first = await openStream(open);
    await register(first, account);
    await expect(authenticate(first, { ...account, password: "wrong-one", resource: "r" })).rejects.toBeInstanceOf(
      NotAuthorizedError,
    );
    await expect(authenticate(first, { ...account, method: "plain" })).rejects.toBeInstanceOf(NotAcceptableError);
    await authenticate(first, { ...account, resource: "r" });
    const second = await openStream(open);
    await expect(authenticate(second, { ...account, resource: "r" })).rejects.toBeInstanceOf(ConflictError);
    await first.close();
    await second.close();
  });
});

describe("streams and limits", () => {
  it("sends features on a 1.0 stream and none on a legacy one", async () => {
    const open = await start();
    const modern = await openStream(open);
    expect([modern.features.register, modern.features.iqAuth]).toEqual([true, true]);
    const legacy = await openStream({ ...open, legacy: true });
    expect(legacy.features.iqAuth).toBe(false);
    await Promise.all([modern.close(), legacy.close()]);
  });

  it("ends a stream whose stanza is over the limit", async () => {
    const open = await start({ maxStanzaBytes: 2000 });
    const stream = await openStream(open);
    const big = register(stream, { username: "big", password: "secret-enough", name: "x".repeat(300_000) });
    await expect(big).rejects.toThrow(/policy-violation/);
    expect(server?.users.has("big")).toBe(false);
  });

  it("refuses connections over the cap with a stream error after its header", async () => {
    const open = await start({ maxConnections: 1 });
    const one = await openStream(open);
    await expect(openStream({ ...open, openRetries: 0 })).rejects.toThrow(/resource-constraint/);
    await one.close();
  });
});
