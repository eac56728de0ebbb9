// The reader on its own: the size cap's precision, and work that stays linear when a big stanza trickles in.
import { LimitExceededError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { COALESCE_DELAY_MS, READ_SLICE_BYTES, XmlReader } from "../src/xml-reader.js";

const HEADER = "<stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:client'>";
const KiB = 1024;

function reader(maxStanzaBytes: number) {
  const elements: Element[] = [];
  const errors: Error[] = [];
  const r = new XmlReader(
    { onHeader() {}, onElement: (el) => elements.push(el), onEnd() {}, onError: (err) => errors.push(err) },
    maxStanzaBytes,
  );
  r.write(Buffer.from(HEADER));
  return { r, elements, errors };
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
    const { r, errors } = reader(1024 * KiB);
    r.write(Buffer.from("<iq id='"));
    const piece = Buffer.from("q".repeat(16));
    const started = performance.now();
    for (let i = 0; i < 70_000 && errors.length === 0; i++) r.write(piece);
    const ms = performance.now() - started;
    expect(errors[0]).toBeInstanceOf(LimitExceededError);
    // Handing each packet to ltx re-reads the growing value every time: about 60 s here. Gathered: well under 1 s.
    expect(ms).toBeLessThan(3000);
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
