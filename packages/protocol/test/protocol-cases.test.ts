// Every codec against fixture pairs, both ways: XML → object, and object → XML → the same object.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Element, parse } from "ltx";
import { describe, expect, it } from "vitest";
import {
  buildAuthOffer,
  buildAuthRequest,
  buildCommand,
  buildRegistrationInfo,
  buildRegistrationRequest,
  buildStreamFeatures,
  parseAuthOffer,
  parseAuthRequest,
  parseCommand,
  parseRegistrationInfo,
  parseRegistrationRequest,
  parseStreamFeatures,
} from "../src/index.js";

type Codec = { parse(el: Element): unknown; build(value: never): Element };
const codecs: Record<string, Codec> = {
  registrationInfo: { parse: parseRegistrationInfo, build: buildRegistrationInfo },
  authOffer: { parse: parseAuthOffer, build: buildAuthOffer },
  authRequest: {
    parse: (el) => {
      const { username, resource, ...proofs } = parseAuthRequest(el);
      const proof = Object.fromEntries(Object.entries(proofs).filter(([, v]) => v !== undefined));
      return { username, resource, proof };
    },
    build: buildAuthRequest,
  },
  registrationRequest: { parse: (el) => parseRegistrationRequest(el).values, build: buildRegistrationRequest },
  features: {
    parse: (el) => {
      const { element: _element, ...rest } = parseStreamFeatures(el);
      return rest;
    },
    build: buildStreamFeatures,
  },
  // XEP-0050: what a client sends (both ways), and what servers answer (read only).
  command: { parse: parseCommand, build: () => unreachable("a command reply") },
  commandRequest: {
    parse: (el) => {
      const { node, sessionid, form } = parseCommand(el);
      return { node, action: el.attrs.action, sessionid, form };
    },
    build: buildCommand,
  },
};

function unreachable(what: string): never {
  throw new Error(`${what} is read, never built: its fixtures are oneWay`);
}

// Drop undefined members so fixtures need not spell them out.
const clean = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const dir = join(import.meta.dirname, "cases");
const names = readdirSync(dir)
  .filter((f) => f.endsWith(".xml"))
  .map((f) => f.slice(0, -4));

describe("protocol cases", () => {
  it("has fixtures", () => expect(names.length).toBeGreaterThanOrEqual(10));

  it.each(names)("%s", (name) => {
    const source = readFileSync(join(dir, `${name}.xml`), "utf8");
    const { codec, value, oneWay } = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
    const { parse: parseCodec, build } = codecs[codec] as Codec;
    expect(clean(parseCodec(parse(source) as Element))).toEqual(value);
    if (oneWay) return; // a server never writes this shape: only reading it matters
    const rebuilt = build(value as never);
    expect(clean(parseCodec(parse(rebuilt.toString()) as Element))).toEqual(value);
  });
});
