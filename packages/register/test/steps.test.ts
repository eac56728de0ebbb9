// The XEP-0077 steps against the embedded server: one quick test per answer a server gives.

import { authenticate } from "@reguser/auth";
import { ConflictError, FeatureNotImplementedError, NotAcceptableError, NotAuthorizedError } from "@reguser/errors";
import { type EmbeddedServer, type ServerOptions, startServer } from "@reguser/server";
import { openStream, type XmppStream } from "@reguser/stream";
import { afterEach, describe, expect, it } from "vitest";
import {
  changePassword,
  inquire,
  MissingFieldsError,
  OutOfBandRegistrationError,
  register,
  unregister,
} from "../src/index.js";

let server: EmbeddedServer | undefined;
const streams: XmppStream[] = [];
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await server?.close();
  server = undefined;
});

async function open(options: ServerOptions = {}): Promise<XmppStream> {
  server ??= await startServer(options);
  const stream = await openStream({ host: server.host, port: server.port, domain: server.domain, timeout: 20_000 });
  streams.push(stream);
  return stream;
}

const account = { username: "leslie", password: "correct-horse-battery" };

describe("inquire", () => {
  it("returns the fields, in the server's order, and the instructions", async () => {
    const info = await inquire(await open({ fields: ["email"], instructions: "Pick one" }));
    expect(info).toMatchObject({
      fields: ["email", "username", "password"],
      instructions: "Pick one",
      registered: false,
    });
  });

  it("raises the server's refusal when registration is off (501 on the embedded server)", async () => {
    await expect(inquire(await open({ registration: false }))).rejects.toBeInstanceOf(FeatureNotImplementedError);
  });
});

describe("register", () => {
  it("registers several accounts on one session, then a taken name is a ConflictError 409", async () => {
    const stream = await open();
    await register(stream, account);
    await register(stream, { username: "dj", password: "another-one-pw" });
    const err = await register(stream, account).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err).toMatchObject({ code: 409, condition: "conflict" });
    expect(server?.users.usernames().sort()).toEqual(["dj", "leslie"]);
  });

  it("fills in the data form the inquiry offered when the server offers only a form", async () => {
    const stream = await open({ registrationForm: "only" });
    const inquiry = await inquire(stream);
    expect(inquiry.fields).toEqual([]);
    await register(stream, { ...account, name: "Leslie", email: "lel@plevna.com" }, { inquiry });
    expect(server?.users.get("leslie")?.fields).toMatchObject({ email: "lel@plevna.com" });
  });

  it("without the inquiry sends legacy fields, which a form-only server refuses (406)", async () => {
    const stream = await open({ registrationForm: "only" });
    await expect(register(stream, account)).rejects.toBeInstanceOf(NotAcceptableError);
  });

  it("refuses before sending when the offered form requires more than was given", async () => {
    const stream = await open({ registrationForm: "only", requiredFields: ["email"], fields: ["email"] });
    const inquiry = await inquire(stream);
    await expect(register(stream, account, { inquiry })).rejects.toBeInstanceOf(MissingFieldsError);
    expect(server?.users.size).toBe(0);
  });

  it("refuses before sending when the inquiry points at a web page", async () => {
    const stream = await open({ oobUrl: "https://example.org/join" });
    const inquiry = await inquire(stream);
    const err = await register(stream, account, { inquiry }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutOfBandRegistrationError);
    expect(err).toMatchObject({ url: "https://example.org/join" });
  });
});

describe("in a session", () => {
  it("changePassword: the new password logs in on a fresh stream, the old one no longer", async () => {
    const stream = await open();
    await register(stream, account);
    await authenticate(stream, { ...account, resource: "r" });
    await changePassword(stream, { username: account.username, password: "a-new-password-pw" });
    const fresh = await open();
    await expect(authenticate(fresh, { ...account, resource: "r2", method: "plain" })).rejects.toBeInstanceOf(
      NotAuthorizedError,
    );
    const again = await open();
    await authenticate(again, { username: account.username, password: "a-new-password-pw", resource: "r3" });
  });

  it("unregister: the account is gone and the session closed, the server's end counted as success", async () => {
    const stream = await open();
    await register(stream, account);
    await authenticate(stream, { ...account, resource: "r" });
    await unregister(stream);
    expect(stream.closed).toBe(true);
    expect(server?.users.has("leslie")).toBe(false);
  });
});
