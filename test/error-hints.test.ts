// Errors a user can act on, against the embedded server: the known fixes as hints, arguments checked before
// anything is sent, and the CLI printing the library's hint rather than its own.
import { inspect } from "node:util";
import { xep0133Provisioner } from "@reguser/admin";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { selfSignedPem } from "@reguser/test-kit";
import {
  authenticate,
  ConnectionError,
  changePassword,
  InvalidOptionError,
  NotAcceptableError,
  type OpenStreamOptions,
  openStream,
  register,
  registerMany,
  StreamError,
  type XmppStream,
} from "reguser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runMain } from "../packages/cli/test/helpers/run-main.js";
import { describeError, expectNoSecrets } from "./hostile/harness.js";
import { strongPassword, uniqueName } from "./support/names.js";

const PASSWORD = strongPassword();

let server: EmbeddedServer;
let ca: string;
/** Everything the client wrote, for "nothing was sent" (passwords already redacted by the debug hook). */
const sent: string[] = [];
const streams: XmppStream[] = [];
const errors: unknown[] = [];

const connect = (extra: Partial<OpenStreamOptions> = {}): OpenStreamOptions => ({
  host: server.host,
  port: server.port,
  domain: server.domain,
  ca,
  timeout: 20_000,
  debug: (direction, xml) => {
    if (direction === "out") sent.push(xml);
  },
  ...extra,
});
const open = async (extra: Partial<OpenStreamOptions> = {}) => {
  const stream = await openStream(connect(extra));
  streams.push(stream);
  return stream;
};
/** The rejection, kept for the secret check at the end. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const err = await promise.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e as Error,
  );
  errors.push(err);
  return err;
}

beforeAll(async () => {
  const pem = selfSignedPem("localhost");
  ca = pem.cert;
  server = await startServer({ tls: pem });
});
afterAll(async () => {
  await Promise.all(streams.map((s) => s.close()));
  await server?.close();
  // Every error of this file, as JSON, util.inspect, message and stack: no password in any of them.
  expectNoSecrets(
    errors.map((e) => describeError(e)),
    [PASSWORD],
  );
});

describe("hints where the fix is known", () => {
  it("a self-signed certificate: pass `ca` (CLI --ca FILE) or rejectUnauthorized: false", async () => {
    const err = await rejection(open({ ca: undefined, tls: "starttls" }));
    expect(err).toBeInstanceOf(ConnectionError);
    const { hint } = err as ConnectionError;
    expect(hint).toMatch(/`ca` \(CLI: --ca FILE\), or rejectUnauthorized: false/);
    expect(err.message).toMatch(/^TLS handshake failed: self-signed certificate: .*--ca FILE/);
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ name: "ConnectionError", hint });
    const trusted = await open({ tls: "starttls" });
    expect(trusted.secure).toBe(true);
  });

  it("tls: 'direct' against the STARTTLS port: this port speaks STARTTLS", async () => {
    const err = await rejection(open({ tls: "direct" }));
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).hint).toMatch(/this port speaks STARTTLS .*use tls: 'starttls' or 'auto'/);
    expect(err.message).toMatch(/wrong version number.*: this port speaks STARTTLS/);
    expect(err.message).not.toContain("\n");
  });

  it("host-unknown: the `domain` option must be the server's XMPP domain", async () => {
    const err = await rejection(open({ domain: "not-this-server.example" }));
    expect(err).toBeInstanceOf(StreamError);
    expect(err).toMatchObject({ condition: "host-unknown" });
    expect((err as StreamError).hint).toMatch(/the `domain` option \(CLI: --domain\) must be the server's XMPP domain/);
    expect(err.message).toMatch(/^Stream error: host-unknown – .*: the `domain` option/);
  });

  it("a login without a resource: say `resource`", async () => {
    const stream = await open();
    const username = uniqueName("nores");
    await register(stream, { username, password: PASSWORD });
    const err = await rejection(authenticate(stream, { username, password: PASSWORD, method: "digest" }));
    expect(err).toBeInstanceOf(NotAcceptableError);
    expect((err as NotAcceptableError).hint).toMatch(/no resource was given.*pass `resource`/);
    expect(err.message).toMatch(/resource/);
    expect(inspect(err)).toContain("hint:");
    await authenticate(stream, { username, password: PASSWORD, resource: "r1", method: "digest" });
  });
});

describe("arguments checked before anything is sent", () => {
  it("openStream without a host: an InvalidOptionError, not a connection to localhost", async () => {
    const err = await rejection(openStream({ ...connect(), host: undefined as never }));
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect(err.message).toBe('openStream: the "host" option must be a non-empty string, got undefined');
    expect(await rejection(openStream({ ...connect(), host: "" }))).toMatchObject({ option: "host" });
  });

  it("register, authenticate and changePassword name the missing option and never the password", async () => {
    const stream = await open();
    const before = sent.length;
    const cases: Array<[Promise<unknown>, string, string]> = [
      [register(stream, { username: uniqueName() } as never), "register", "password"],
      [register(stream, { username: "", password: PASSWORD }), "register", "username"],
      [
        authenticate(stream, { username: "someone", password: undefined as never, resource: "r" }),
        "authenticate",
        "password",
      ],
      [authenticate(stream, { username: undefined as never, password: PASSWORD }), "authenticate", "username"],
      [changePassword(stream, { username: "someone", password: "" }), "changePassword", "password"],
      [
        changePassword(stream, { username: "someone", password: PASSWORD, oldPassword: "" }),
        "changePassword",
        "oldPassword",
      ],
    ];
    for (const [call, operation, option] of cases) {
      const err = await rejection(call);
      expect(err).toBeInstanceOf(InvalidOptionError);
      expect(err).toMatchObject({ operation, option });
    }
    expect(sent.slice(before)).toEqual([]);
  });

  it("registerMany: an account without a password fails alone, unsent; the others are registered", async () => {
    const stream = await open();
    const [good, bad] = [uniqueName("bulkok"), uniqueName("bulknopw")];
    const report = await registerMany(stream, [{ username: bad } as never, { username: good, password: PASSWORD }]);
    expect(report.ok).toBe(1);
    const failed = report.outcomes.find((o) => o.username === bad);
    expect(failed?.ok).toBe(false);
    expect(failed && !failed.ok && failed.error).toBeInstanceOf(InvalidOptionError);
    expect(sent.some((line) => line.includes(bad))).toBe(false);
  });

  it("an undefined admin password is named as such, with no word about hashed storage", () => {
    let err: unknown;
    try {
      xep0133Provisioner({ connect: connect(), admin: { username: "boss", password: undefined as never } });
    } catch (e) {
      err = e;
    }
    errors.push(err);
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as Error).message).toBe(
      'xep0133Provisioner: the "admin.password" option must be a non-empty string, got undefined',
    );
    expect((err as Error).message).not.toMatch(/SCRAM|hashed/);
  });
});

describe("the CLI prints the library's hint, once", () => {
  const at = (...rest: string[]) => [`${server.host}:${server.port}`, "--timeout", "5000", ...rest];

  it("a wrong --domain", async () => {
    const run = await runMain(at("--domain", "not-this-server.example", "--tls", "none"));
    expect(run.code).toBe(3);
    expect(run.stderr.match(/--domain/g)).toHaveLength(1);
    expect(run.stderr).toMatch(
      /^reguser: Stream error: host-unknown – .*the `domain` option \(CLI: --domain\)[^\n]*\n$/,
    );
  });

  it("no --ca for a self-signed certificate, and --tls direct against this port", async () => {
    const untrusted = await runMain(at("--domain", server.domain, "--tls", "starttls"));
    expect(untrusted.code).toBe(3);
    expect(untrusted.stderr).toMatch(/^reguser: TLS handshake failed: self-signed certificate: .*--ca FILE[^\n]*\n$/);
    const direct = await runMain(at("--domain", server.domain, "--tls", "direct", "--json"));
    expect(direct.code).toBe(3);
    expect(JSON.parse(direct.stdout).error).toMatchObject({
      name: "ConnectionError",
      hint: expect.stringMatching(/this port speaks STARTTLS/),
    });
  });
});
