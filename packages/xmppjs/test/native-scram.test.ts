// useNativeScram: the same SCRAM-SHA-1 exchange as xmpp.js's own mechanism, checked against RFC 5802 §5's example,
// with the salted password from crypto.pbkdf2; a server asking for absurd rounds is refused.
import { client } from "@xmpp/client";
import Scram from "sasl-scram-sha-1";
import { describe, expect, it } from "vitest";
import { MAX_SCRAM_ITERATIONS, nativeScram, useNativeScram } from "../src/native-scram.js";

// RFC 5802 §5: user "user", password "pencil".
const NONCE = "fyko+d2lbbFgONRv9qkxdawL";
const SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
const CLIENT_FINAL = "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";

type Mech = { response(cred: object): Promise<string> | string; challenge(c: string): unknown };
const exchange = async (Mechanism: new (options: object) => Mech, serverFirst = SERVER_FIRST) => {
  const mech = new Mechanism({ genNonce: () => NONCE });
  const cred = { username: "user", password: "pencil" };
  expect(await mech.response(cred)).toBe(`n,,n=user,r=${NONCE}`);
  mech.challenge(serverFirst);
  return mech.response(cred);
};

describe("native SCRAM-SHA-1 for xmpp.js", () => {
  it("gives RFC 5802's client-final message, as xmpp.js's own mechanism does", async () => {
    const Native = nativeScram(Scram as never) as unknown as new (options: object) => Mech;
    expect(await exchange(Native)).toBe(CLIENT_FINAL);
    expect(await exchange(Scram as unknown as new (options: object) => Mech)).toBe(CLIENT_FINAL);
  });

  it("refuses a server that asks for more than MAX_SCRAM_ITERATIONS rounds", async () => {
    const Native = nativeScram(Scram as never) as unknown as new (options: object) => Mech;
    const greedy = SERVER_FIRST.replace("i=4096", `i=${MAX_SCRAM_ITERATIONS + 1}`);
    await expect(exchange(Native, greedy)).rejects.toThrow(/SCRAM rounds/);
  });

  it("replaces the mechanism in a client's SASL factory, once", () => {
    const xmpp = client({ service: "xmpp://127.0.0.1:1", domain: "localhost" });
    useNativeScram(xmpp);
    useNativeScram(xmpp);
    const mechs = (xmpp as unknown as { saslFactory: { _mechs: Array<{ name: string; mech: { native?: boolean } }> } })
      .saslFactory._mechs;
    expect(mechs.filter((m) => m.name === "SCRAM-SHA-1").map((m) => m.mech.native)).toEqual([true]);
    expect(() => useNativeScram({})).toThrow(/no SCRAM-SHA-1/);
  });
});
