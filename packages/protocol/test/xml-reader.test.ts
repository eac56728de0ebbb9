// The reader on its own: the size cap's precision, and work that stays linear when a big stanza trickles in.
import { LimitExceededError } from "@reguser/errors";
import { type Element, Parser } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { COALESCE_DELAY_MS, READ_SLICE_BYTES, XmlReader } from "../src/xml-reader.js";

const HEADER = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client'>";
const KiB = 1024;

/** A real ltx parser that also counts what it is handed: ltx's work grows with writes × the value in progress. */
class CountingParser extends Parser {
  writes = 0;
  chars = 0;
  override write(data: string): void {
    this.writes++;
    this.chars += data.length;
    super.write(data);
  }
}

function reader(maxStanzaBytes: number) {
  const elements: Element[] = [];
  const errors: Error[] = [];
  const parser = new CountingParser();
  const r = new XmlReader(
    { onHeader() {}, onElement: (el) => elements.push(el), onEnd() {}, onError: (err) => errors.push(err) },
    maxStanzaBytes,
    parser,
  );
  r.write(Buffer.from(HEADER));
  return { r, elements, errors, parser };
}

describe("XmlReader", () => {
  it("counts a big stanza that starts in the same packet as a small one ends, to within one slice", () => {
    const { r, elements, errors } = reader(64 * KiB);
    r.write(Buffer.from(`<a/><b>${"x".repeat(64 * KiB + READ_SLICE_BYTES + 1)}`));
    expect(elements.map((el) => el.name)).toEqual(["a"]);
    expect(errors[0]).toBeInstanceOf(LimitExceededError);
    expect(errors[0]).toMatchObject({ limit: "stanza size", max: 64 * KiB });
  });

  it("accepts stanzas under the cap however the packets fall", () => {
    const { r, elements, errors } = reader(64 * KiB);
    const body = "y".repeat(40 * KiB);
    r.write(Buffer.from(`<a/><b>${body}</b><c>${body}`));
    r.write(Buffer.from(`</c>`));
    r.flush();
    expect(errors).toEqual([]);
    expect(elements.map((el) => [el.name, el.getText().length])).toEqual([
      ["a", 0],
      ["b", body.length],
      ["c", body.length],
    ]);
  });

  it.each([
    ["an XML declaration cut before its >", ["<?xml version='1.0'?", "><s:s xmlns:s='x'><a/>"]],
    ["a comment cut between -- and >", ["<s:s xmlns:s='x'><!-- hi --", "><a/>"]],
    ["a comment cut between - and ->", ["<s:s xmlns:s='x'><!-- hi -", "-><a/>"]],
    ["a CDATA section cut between ]] and >", ["<s:s xmlns:s='x'><a><![CDATA[x]]", "></a>"]],
  ])("reads %s", (_name, packets) => {
    // ltx alone swallows the rest of the stream in the first three: it looks for `?>` and `-->` within one write.
    const elements: Element[] = [];
    const headers: string[] = [];
    const r = new XmlReader(
      { onHeader: (_a, name) => headers.push(name), onElement: (el) => elements.push(el), onEnd() {}, onError() {} },
      64 * KiB,
    );
    for (const packet of packets) r.write(Buffer.from(packet));
    expect(headers).toEqual(["s:s"]);
    expect(elements.map((el) => el.toString())).toEqual([packets.join("").includes("CDATA") ? "<a>x</a>" : "<a/>"]);
  });

  it("keeps the work linear when a 1 MiB attribute arrives 16 bytes at a time", () => {
    const { r, errors, parser } = reader(1024 * KiB);
    const before = parser.writes;
    r.write(Buffer.from("<iq id='"));
    const piece = Buffer.from("q".repeat(16));
    for (let i = 0; i < 70_000 && errors.length === 0; i++) r.write(piece);
    expect(errors[0]).toBeInstanceOf(LimitExceededError);
    // ltx re-reads an unfinished value on every write: handed each packet, that is 65,000 re-reads of up to 1 MiB.
    expect(parser.writes - before).toBe(0);
  });

  it("hands a big text to the parser once, when the tag that ends it arrives", () => {
    const { r, elements, errors, parser } = reader(8 * 1024 * KiB);
    const before = { writes: parser.writes, chars: parser.chars };
    const stanza = Buffer.from(`<message><body>${"a&amp;b ".repeat(256 * KiB)}</body></message>`);
    for (let at = 0; at < stanza.length; at += 64 * KiB) r.write(stanza.subarray(at, at + 64 * KiB));
    r.flush();
    expect(errors).toEqual([]);
    expect(elements.map((el) => el.getChildText("body")?.length)).toEqual([4 * 256 * KiB]); // "a&b ";
    // Each character once, in a handful of writes: the tags, then the text with the end tag.
    expect(parser.chars - before.chars).toBe(stanza.length);
    expect(parser.writes - before.writes).toBeLessThanOrEqual(3);
  });

  it("holds back only what cannot complete anything: a stanza ending a packet is delivered at once", () => {
    const { r, elements } = reader(64 * KiB);
    r.write(Buffer.from("<a x='1>2'/><b>tex"));
    expect(elements.map((el) => [el.name, el.attrs.x])).toEqual([["a", "1>2"]]);
    r.write(Buffer.from("t</b"));
    expect(elements.length).toBe(1);
    r.write(Buffer.from(">"));
    expect(elements.map((el) => el.getText())).toEqual(["", "text"]);
  });

  it("delivers the tail of a big stanza after a short wait when no more data comes", async () => {
    const { r, elements, errors } = reader(1024 * KiB);
    r.write(Buffer.from(`<b>${"z".repeat(100 * KiB)}`));
    r.write(Buffer.from("</b>"));
    expect(elements).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, COALESCE_DELAY_MS * 4));
    expect(errors).toEqual([]);
    expect(elements.map((el) => el.name)).toEqual(["b"]);
  });

  it("stop() drops what was gathered and leaves no timer behind", () => {
    const { r, elements } = reader(1024 * KiB);
    r.write(Buffer.from(`<b>${"z".repeat(100 * KiB)}`));
    r.write(Buffer.from("</b>"));
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const armed = timers();
    r.stop();
    expect(timers()).toBe(armed - 1);
    r.flush();
    expect(elements).toEqual([]);
  });
});
