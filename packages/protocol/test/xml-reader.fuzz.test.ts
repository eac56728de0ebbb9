// Fuzzing the reader in memory, where thousands of runs are cheap: the packet boundaries never change the result,
// and any bytes at all end in stanzas or one typed error, never a throw.
import { LimitExceededError, ProtocolError } from "@reguser/errors";
import { fuzzParameters, fuzzTimeout, HEADER_1_0, mutate, REPLIES, split } from "@reguser/test-kit";
import type { Element } from "@xmpp/xml";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { XmlReader } from "../src/xml-reader.js";

const CI_RUNS = 400;

function read(packets: Buffer[], maxStanzaBytes = 4096) {
  const stanzas: string[] = [];
  const errors: Error[] = [];
  let ended = false;
  let eventsAfterError = 0;
  const reader = new XmlReader(
    {
      onHeader: () => {},
      onElement: (el: Element) => {
        if (errors.length > 0) eventsAfterError++;
        stanzas.push(el.toString());
      },
      onEnd: () => {
        ended = true;
      },
      onError: (err) => errors.push(err),
    },
    maxStanzaBytes,
  );
  for (const packet of packets) reader.write(packet);
  reader.flush();
  reader.stop();
  return { stanzas, errors, ended, eventsAfterError };
}

/** A well-formed stream: the header, some of the model's stanzas with non-ASCII text, maybe the end. */
const validStream = fc
  .record({
    stanzas: fc.array(fc.integer({ min: 0, max: 14 }), { maxLength: 6 }),
    text: fc.string({ maxLength: 20, unit: "grapheme" }),
    end: fc.boolean(),
  })
  .map(({ stanzas, text, end }) => {
    const safe = text.replace(/[<&\p{Cc}\uFFFE\uFFFF]/gu, "");
    const body = stanzas.map((i) => (REPLIES[i] as string).replaceAll("{id}", `i${i}`).replaceAll("{seq}", "5"));
    return Buffer.from(
      `${HEADER_1_0}${body.join(`<message><body>${safe}</body></message>`)}${end ? "</stream:stream>" : ""}`,
    );
  })
  .filter((bytes) => !bytes.toString().includes("{"));

const cuts = fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 40 });

describe("XmlReader under fuzzing", () => {
  it(
    "parses a valid stream the same however it is cut into packets (UTF-8 split included)",
    () => {
      fc.assert(
        fc.property(validStream, cuts, (bytes, sizes) => {
          const whole = read([bytes], 1 << 20);
          const pieces = read(split(bytes, sizes), 1 << 20);
          expect(whole.errors).toEqual([]);
          expect(pieces).toEqual(whole);
        }),
        fuzzParameters(CI_RUNS),
      );
    },
    fuzzTimeout(CI_RUNS, 20),
  );

  it(
    "turns mutated and random bytes into stanzas or one typed error, and nothing after it",
    () => {
      const input = fc.oneof(
        fc
          .tuple(validStream, fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }))
          .map(([bytes, flips]) =>
            flips.reduce<Buffer>((b, byte, i) => mutate(b, { kind: "flip", at: ((i + 1) * 0.23) % 1, byte }), bytes),
          ),
        fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.concat([Buffer.from(HEADER_1_0), Buffer.from(a)])),
        fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
      );
      fc.assert(
        fc.property(input, cuts, fc.integer({ min: 64, max: 8192 }), (bytes, sizes, max) => {
          const result = read(split(bytes, sizes), max);
          expect(result.errors.length).toBeLessThanOrEqual(1);
          for (const err of result.errors) {
            expect(
              [ProtocolError, LimitExceededError].some((type) => err instanceof type),
              String(err),
            ).toBe(true);
          }
          expect(result.eventsAfterError).toBe(0);
        }),
        fuzzParameters(CI_RUNS),
      );
    },
    fuzzTimeout(CI_RUNS, 20),
  );
});
