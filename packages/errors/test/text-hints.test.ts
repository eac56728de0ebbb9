// Hints known from a server's words: Prosody's required encryption, as a stanza error and as a stream error.
import xml from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { PolicyViolationError, STANZAS_NS, STREAMS_NS, StanzaError, StreamError, textHint } from "../src/index.js";

const stanzaError = (condition: string, text: string) =>
  xml(
    "iq",
    { type: "error", id: "1" },
    xml("error", { type: "modify" }, xml(condition, { xmlns: STANZAS_NS }), xml("text", { xmlns: STANZAS_NS }, text)),
  );

describe("text hints", () => {
  it("tell a stanza error's reader to turn TLS on when the server requires encryption", () => {
    const err = StanzaError.fromElement(stanzaError("policy-violation", "Encryption is required"));
    expect(err).toBeInstanceOf(PolicyViolationError);
    expect(err.hint).toMatch(/tls: 'auto'/);
    expect(err.message).toMatch(/^Encryption is required \(policy-violation\): the server accepts nothing/);
  });

  it("tell a stream error's reader that the server has no certificate", () => {
    const el = xml(
      "stream:error",
      {},
      xml("undefined-condition", { xmlns: STREAMS_NS }),
      xml("text", { xmlns: STREAMS_NS }, "No stream features to proceed with"),
    );
    expect(StreamError.fromElement(el).hint).toMatch(/certificate/);
  });

  it("say nothing for another condition or another text, and keep a hint the caller gave", () => {
    expect(textHint("not-acceptable", "Encryption is required")).toBeUndefined();
    expect(textHint("policy-violation", "Too many registrations")).toBeUndefined();
    expect(textHint("policy-violation", undefined)).toBeUndefined();
    const given = StanzaError.fromElement(stanzaError("policy-violation", "Encryption is required"), { hint: "mine" });
    expect(given.hint).toBe("mine");
  });
});
