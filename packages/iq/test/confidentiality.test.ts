import { InsecureConnectionError } from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { assertConfidential, isLoopback } from "../src/index.js";

describe("plaintext secrets only over TLS or loopback", () => {
  it("knows loopback addresses", () => {
    for (const a of ["127.0.0.1", "127.5.6.7", "::1", "[::1]", "::ffff:127.0.0.1", "localhost"])
      expect(isLoopback(a)).toBe(true);
    for (const a of ["10.0.0.1", "192.168.1.2", "example.org", "::ffff:10.0.0.1", undefined])
      expect(isLoopback(a)).toBe(false);
  });

  it("refuses a remote unencrypted stream unless allowInsecure", () => {
    const remote = { secure: false, remoteAddress: "203.0.113.5", allowInsecure: false };
    expect(() => assertConfidential(remote, "a password")).toThrow(InsecureConnectionError);
    expect(() => assertConfidential(remote, "a password")).toThrow(/203\.0\.113\.5.*allowInsecure/);
    expect(() => assertConfidential({ ...remote, allowInsecure: true }, "a password")).not.toThrow();
    expect(() => assertConfidential({ ...remote, secure: true }, "a password")).not.toThrow();
    expect(() => assertConfidential({ ...remote, remoteAddress: "127.0.0.1" }, "a password")).not.toThrow();
  });

  it("over WebSocket, names a wss:// URL as the remedy (TLS modes do not apply there)", () => {
    const remote = {
      secure: false,
      remoteAddress: "203.0.113.5",
      allowInsecure: false,
      transport: "websocket" as const,
    };
    expect(() => assertConfidential(remote, "a password")).toThrow(/use a wss:\/\/ URL, or pass allowInsecure/);
    expect(() => assertConfidential({ ...remote, transport: "tcp" }, "a password")).toThrow(/use tls: 'starttls'/);
  });
});
