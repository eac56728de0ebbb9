// Prosody as it ships requires encryption (c2s_require_encryption = true, docs/shipped.md#required-encryption):
// tls 'auto' upgrades and registers; 'none' ends in an error that says so and how to turn TLS on.
import {
  authenticate,
  inquire,
  type OpenStreamOptions,
  openStream,
  PolicyViolationError,
  register,
  StreamError,
} from "reguser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { prosody } from "./support/real-targets.js";

describeTarget(prosody, () => {
  describe("with a certificate", () => {
    let server: RunningServer;
    const at = (extra: Partial<OpenStreamOptions> = {}) => connectTo(server, extra);
    beforeAll(async () => {
      server = await startServer("prosody", { requireEncryption: true, tls: true });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("tls 'auto' takes STARTTLS, and registration and login work", async () => {
      const stream = await openStream(at());
      try {
        expect(stream.secure).toBe(true);
        expect(stream.features.register).toBe(true);
        const inquiry = await inquire(stream);
        expect(inquiry.fields).toEqual(expect.arrayContaining(["username", "password"]));
        await register(stream, { username: "sealed", password: "sealed-password-1" }, { inquiry });
        await authenticate(stream, { username: "sealed", password: "sealed-password-1", resource: "r" });
      } finally {
        await stream.close();
      }
    });

    it("tls 'none': no register feature, and the refusal says encryption is required and how to turn TLS on", async () => {
      const stream = await openStream(at({ tls: "none" }));
      try {
        expect(stream.secure).toBe(false);
        expect(stream.features.register).toBe(false);
        const err = await inquire(stream).catch((e) => e);
        expect(err).toBeInstanceOf(PolicyViolationError);
        expect(err.text).toMatch(/Encryption is required/);
        expect(err.message).toMatch(/c2s_require_encryption/);
        expect(err.message).toMatch(/tls: 'auto'/);
        const attempt = await register(stream, { username: "plain", password: "plain-password-1" }).catch((e) => e);
        expect(attempt).toBeInstanceOf(PolicyViolationError);
        expect(attempt.hint).toMatch(/--tls auto/);
      } finally {
        await stream.close();
      }
    });
  });

  describe("without a certificate", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer("prosody", { requireEncryption: true });
    });
    afterAll(async () => {
      await server?.stop();
    });

    it("the stream ends at once, and the error says the server needs a certificate", async () => {
      const err = await openStream(connectTo(server)).catch((e) => e);
      expect(err).toBeInstanceOf(StreamError);
      expect(err.condition).toBe("undefined-condition");
      expect(err.message).toMatch(/No stream features to proceed with/);
      expect(err.hint).toMatch(/certificate/);
    });
  });
});
