// Hostile servers and TLS: wrong certificate or name refused unless opted out; STARTTLS downgrades refused.
import { ConnectionError, TlsRequiredError } from "@reguser/errors";
import { greet, HEADER_1_0, LEGACY_HEADER, NO_TLS_FEATURES, type ScriptedConnection } from "@reguser/test-kit";
import { beforeAll, describe, expect, it } from "vitest";
import { withInvariants } from "./harness.js";
import { makeCertificate, PROCEED, STARTTLS_FEATURES, type TestCertificate } from "./tls-fixture.js";

let pki: TestCertificate;
let stranger: TestCertificate;
beforeAll(() => {
  pki = makeCertificate();
  stranger = makeCertificate();
});

/** STARTTLS with the given certificate, then a plain 1.0 stream over TLS. */
const starttlsServer = (cert: () => TestCertificate) => async (conn: ScriptedConnection) => {
  await greet(conn, HEADER_1_0, STARTTLS_FEATURES);
  await conn.waitFor(/<starttls/);
  conn.write(PROCEED);
  conn.startTls(cert());
  await conn.waitFor(/<starttls[\s\S]*<stream:stream/);
  conn.write(HEADER_1_0 + NO_TLS_FEATURES);
};

/** TLS from the first byte (tls: 'direct'). */
const directServer = (cert: () => TestCertificate) => async (conn: ScriptedConnection) => {
  conn.startTls(cert());
  await greet(conn);
};

describe("certificates", () => {
  it("STARTTLS with a trusted certificate for the right name works", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(starttlsServer(() => pki));
      const stream = await ctx.open(server.port, { tls: "starttls", ca: pki.cert });
      expect(stream.secure).toBe(true);
      await stream.close();
    })());

  it.each([
    ["STARTTLS", starttlsServer, "starttls"],
    ["direct TLS", directServer, "direct"],
  ] as const)(
    "%s: an untrusted certificate is refused, and accepted only with rejectUnauthorized: false",
    (_n, make, tls) =>
      withInvariants(async (ctx) => {
        const server = await ctx.serve(make(() => pki));
        const err = await ctx.rejects(ctx.open(server.port, { tls, ca: stranger.cert }), ConnectionError);
        expect(err.message).toMatch(/TLS|certificate|connect/i);
        const optedOut = await ctx.open(server.port, { tls, rejectUnauthorized: false });
        expect(optedOut.secure).toBe(true);
        await optedOut.close();
      })(),
  );

  it.each([
    ["STARTTLS", starttlsServer, "starttls"],
    ["direct TLS", directServer, "direct"],
  ] as const)("%s: a trusted certificate for another name is refused", (_n, make, tls) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(make(() => pki));
      const err = await ctx.rejects(
        ctx.open(server.port, { tls, ca: pki.cert, domain: "example.org" }),
        ConnectionError,
      );
      expect(err.message).toMatch(/altnames|name|host/i);
    })(),
  );
});

describe("STARTTLS downgrades with tls: 'starttls'", () => {
  it.each([
    ["offered in the wrong namespace", "<stream:features><starttls xmlns='urn:evil'/></stream:features>"],
    ["offered outside the features", "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/><stream:features/>"],
    ["not offered on a legacy-looking stream", ""],
  ])("%s", (_name, features) =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await conn.waitFor(/<stream:stream/);
        conn.write(features ? HEADER_1_0 + features : LEGACY_HEADER);
      });
      await ctx.rejects(ctx.open(server.port, { tls: "starttls", ca: pki.cert }), TlsRequiredError);
      expect(server.connections).toBe(1);
    })(),
  );

  it("offered, then refused with <failure/>", () =>
    withInvariants(async (ctx) => {
      const server = await ctx.serve(async (conn) => {
        await greet(conn, HEADER_1_0, STARTTLS_FEATURES);
        await conn.waitFor(/<starttls/);
        conn.write("<failure xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
      });
      await ctx.rejects(ctx.open(server.port, { tls: "starttls", ca: pki.cert }), TlsRequiredError);
    })());
});
