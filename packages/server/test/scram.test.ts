// RFC 5802 SCRAM-SHA-1, the pure part: the RFC's §5 example exchange, both sides, and malformed messages.
import { describe, expect, it } from "vitest";
import { passwordMatches, scramCredentials } from "../src/scram/keys.js";
import { parseClientFinal, parseClientFirst, serverFirstMessage } from "../src/scram/messages.js";
import { clientFinalMessage, clientFirstMessage, verifyClientFinal } from "../src/scram/proof.js";

// RFC 5802 §5: user "user", password "pencil".
const RFC = {
  clientNonce: "fyko+d2lbbFgONRv9qkxdawL",
  serverNonce: "3rfcNHYJY1ZVvWVs7j",
  salt: Buffer.from("QSXCR+Q6sek8bf92", "base64"),
  iterations: 4096,
  clientFirst: "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL",
  serverFirst: "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
  clientFinal: "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
  serverFinal: "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
};
const credentials = () => {
  const stored = scramCredentials("pencil", RFC.salt, RFC.iterations);
  if (!stored) throw new Error("pencil passes SASLprep");
  return stored;
};
const nonce = RFC.clientNonce + RFC.serverNonce;

/** The server's check of `clientFinal` after the RFC's first two messages. */
const verify = (clientFinal: string, stored = credentials()) => {
  const first = parseClientFirst(RFC.clientFirst);
  const final = parseClientFinal(clientFinal);
  if (!first || !final) return undefined;
  return verifyClientFinal({ credentials: stored, first, serverFirst: RFC.serverFirst, nonce, final });
};

describe("RFC 5802 §5 example", () => {
  it("the client's first message", () => {
    expect(clientFirstMessage("user", RFC.clientNonce)).toBe(RFC.clientFirst);
  });

  it("the server's first message, from the stored salt and iteration count", () => {
    expect(serverFirstMessage(nonce, credentials())).toBe(RFC.serverFirst);
  });

  it("the client's final message and the server signature it expects", () => {
    const final = clientFinalMessage({
      password: "pencil",
      clientFirst: RFC.clientFirst,
      serverFirst: RFC.serverFirst,
    });
    expect(final).toEqual({ message: RFC.clientFinal, expectedServerFinal: RFC.serverFinal });
  });

  it("the server checks the proof with StoredKey alone and answers the RFC's server-final", () => {
    expect(verify(RFC.clientFinal)).toBe(RFC.serverFinal);
  });

  it("stores salt, iteration count, StoredKey and ServerKey, not the password", () => {
    const stored = credentials();
    expect(stored).toEqual({
      salt: "QSXCR+Q6sek8bf92",
      iterationCount: 4096,
      storedKey: expect.stringMatching(/^[0-9a-f]{40}$/),
      serverKey: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(JSON.stringify(stored)).not.toContain("pencil");
    expect(passwordMatches("pencil", stored)).toBe(true);
    expect(passwordMatches("pencil2", stored)).toBe(false);
  });
});

describe("refused proofs", () => {
  it("a wrong password's proof", () => {
    const wrong = clientFinalMessage({
      password: "crayon",
      clientFirst: RFC.clientFirst,
      serverFirst: RFC.serverFirst,
    });
    expect(wrong).toBeDefined();
    expect(verify(wrong?.message ?? "")).toBeUndefined();
  });

  it("another nonce, another channel binding, a truncated proof", () => {
    expect(verify(RFC.clientFinal.replace("7j,", "7k,"))).toBeUndefined();
    expect(verify(RFC.clientFinal.replace("c=biws", "c=eSws"))).toBeUndefined();
    expect(verify(RFC.clientFinal.replace("p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", "p=v0X8v3Bz"))).toBeUndefined();
  });

  it("credentials of another password", () => {
    const other = scramCredentials("crayon", RFC.salt, RFC.iterations);
    expect(other && verify(RFC.clientFinal, other)).toBeUndefined();
  });
});

describe("SASLprep (RFC 4013) before hashing", () => {
  it("maps a soft hyphen to nothing and refuses a control character", () => {
    const stored = scramCredentials("pen\u00adcil", RFC.salt, RFC.iterations);
    expect(stored).toEqual(credentials());
    expect(scramCredentials("pen\u0007cil", RFC.salt, RFC.iterations)).toBeUndefined();
  });
});

describe("parseClientFirst", () => {
  it("reads the flag, authzid, escaped username and nonce", () => {
    expect(parseClientFirst("n,a=a=2Cb@localhost,n=a=2Cb=3Dc,r=abc,x=ext")).toEqual({
      gs2Header: "n,a=a=2Cb@localhost,",
      authzid: "a,b@localhost",
      username: "a,b=c",
      clientNonce: "abc",
      bare: "n=a=2Cb=3Dc,r=abc,x=ext",
    });
    expect(parseClientFirst("y,,n=user,r=abc")?.gs2Header).toBe("y,,");
  });

  it.each([
    ["empty", ""],
    ["no bare part", "n,,"],
    ["channel binding asked for", "p=tls-unique,,n=user,r=abc"],
    ["an unknown flag", "x,,n=user,r=abc"],
    ["a mandatory extension", "n,,m=ext,n=user,r=abc"],
    ["an empty username", "n,,n=,r=abc"],
    ["a bad escape", "n,,n=us=er,r=abc"],
    ["no nonce", "n,,n=user"],
    ["attributes out of order", "n,,r=abc,n=user"],
    ["an empty nonce", "n,,n=user,r="],
    ["a control character in the nonce", "n,,n=user,r=a\u0001b"],
    ["an authzid that is not a=", "n,b=user,n=user,r=abc"],
  ])("refuses %s", (_, message) => {
    expect(parseClientFirst(message)).toBeUndefined();
  });
});

describe("parseClientFinal", () => {
  it.each([
    ["no proof", "c=biws,r=abc"],
    ["the proof first", "p=dGVzdA==,c=biws,r=abc"],
    ["a proof that is not base64", "c=biws,r=abc,p=not base64!"],
    ["an empty proof", "c=biws,r=abc,p="],
    ["no channel binding", "r=abc,c=biws,p=dGVzdA=="],
  ])("refuses %s", (_, message) => {
    expect(parseClientFinal(message)).toBeUndefined();
  });

  it("keeps extensions in the part the AuthMessage ends with", () => {
    expect(parseClientFinal("c=biws,r=abc,x=1,p=dGVzdA==")?.withoutProof).toBe("c=biws,r=abc,x=1");
  });
});
