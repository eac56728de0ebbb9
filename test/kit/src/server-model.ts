// What a fuzzed server says: realistic turns (headers, replies, stream errors), then mutated, split and ended at random.
import { escapeXML } from "@xmpp/xml";
import fc from "fast-check";
import { STANZAS_NS, STREAMS_NS, TLS_NS } from "./namespaces.js";
import { HEADER_1_0, LEGACY_HEADER, NO_TLS_FEATURES } from "./scripted-server.js";

const REG = "jabber:iq:register";
const cond = (name: string) => `<${name} xmlns='${STANZAS_NS}'/>`;
const streamError = (inner: string) => `<stream:error>${inner}</stream:error>`;
const form = (type: string, fields: string[]) =>
  `<x xmlns='jabber:x:data'><field var='FORM_TYPE' type='hidden'><value>${type}</value></field>${fields
    .map((f) => `<field var='${f}' type='text-single'><required/></field>`)
    .join("")}</x>`;

/** What the server sends first, after the client's header. */
export const OPENINGS = [
  HEADER_1_0 + NO_TLS_FEATURES,
  LEGACY_HEADER,
  `${HEADER_1_0}<stream:features><starttls xmlns='${TLS_NS}'><required/></starttls></stream:features>`,
  `${HEADER_1_0}<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>`,
  HEADER_1_0,
  `${HEADER_1_0}${streamError(`<host-unknown xmlns='${STREAMS_NS}'/>`)}</stream:stream>`,
  `${LEGACY_HEADER}${streamError(`<internal-server-error xmlns='${STREAMS_NS}'/>`)}`,
] as const;

/**
 * Answers to the client's requests. `{id}` is the request's id, `{echo}` the request's payload sent back (with
 * the password in it), `{password}` the password itself, `{seq}` a 0k sequence.
 */
export const REPLIES = [
  `<iq type='result' id='{id}'><query xmlns='${REG}'><instructions>Choose</instructions><username/><password/><email/></query></iq>`,
  `<iq type='result' id='{id}'><query xmlns='${REG}'><registered/><username>u</username></query></iq>`,
  `<iq type='result' id='{id}'><query xmlns='${REG}'>${form(REG, ["username", "password", "x-captcha"])}</query></iq>`,
  `<iq type='result' id='{id}'><query xmlns='${REG}'><x xmlns='jabber:x:oob'><url>https://example.org/</url></x></query></iq>`,
  `<iq type='result' id='{id}'/>`,
  `<iq type='result' id='{id}'><query xmlns='jabber:iq:auth'><username/><password/><digest/><sequence>{seq}</sequence><token>3B449FB2</token><resource/></query></iq>`,
  `<iq type='result' id='{id}'><query xmlns='jabber:iq:auth'><username/><password/><resource/></query></iq>`,
  `<iq type='error' id='{id}'><error code='409'/></iq>`,
  `<iq type='error' id='{id}'><error type='cancel'>${cond("conflict")}</error></iq>`,
  `<iq type='error' id='{id}'><error code='999' type='weird'><x-unknown xmlns='${STANZAS_NS}'/></error></iq>`,
  `<iq type='error' id='{id}'><error/></iq>`,
  `<iq type='error' id='{id}'><error code='406' type='modify'>${cond("not-acceptable")}${cond("conflict")}<text xmlns='${STANZAS_NS}' xml:lang='de'>Nicht erlaubt</text></error></iq>`,
  `<iq type='error' id='{id}'>{echo}<error code='401' type='auth'>${cond("not-authorized")}<text xmlns='${STANZAS_NS}'>bad password {password}</text></error></iq>`,
  `<iq type='error' id='{id}'><query xmlns='${REG}'>${form(`${REG}:changepassword`, ["username", "old_password", "password"])}</query><error code='401' type='modify'>${cond("not-authorized")}</error></iq>`,
  `<iq type='error' id='{id}'><query xmlns='${REG}'><x xmlns='jabber:x:oob'><url>https://example.org/</url></x></query><error code='405' type='cancel'>${cond("not-allowed")}</error></iq>`,
  streamError(`<see-other-host xmlns='${STREAMS_NS}'>other.example:5222</see-other-host>`),
  `${streamError(`<internal-server-error xmlns='${STREAMS_NS}'/>`)}</stream:stream>`,
  streamError(`<conflict xmlns='${STREAMS_NS}'/><text xmlns='${STREAMS_NS}'>{password}</text>`),
  "</stream:stream>",
  `<proceed xmlns='${TLS_NS}'/>`,
  `<failure xmlns='${TLS_NS}'/>`,
  `<message from='stranger@localhost' id='{id}'><body>hi</body></message>`,
] as const;

/** Fragments a mutation splices in: the characters and constructs parsers trip on. */
const NASTY = [
  "<",
  ">",
  "&",
  "&bogus;",
  "]]>",
  "<![CDATA[",
  "\u0000",
  "\uFFFE",
  "\xff",
  "'",
  "</iq>",
  "<a>".repeat(300),
  "</stream:stream>",
  "<?xml version='1.0'?>",
  "<!DOCTYPE x>",
  "<!--",
  "\u{1F600}",
];

export type Mutation =
  | { kind: "none" }
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number; byte: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number };

export interface Turn {
  template: number;
  id: "right" | "wrong" | "none";
  seq: string;
  mutation: Mutation;
  /** Packet sizes the bytes are cut into (the rest goes in one last packet). */
  packets: number[];
}

export type Ending = "silent" | "end" | "destroy" | "stream-end";
export type Step = "inquire" | "register" | "methods" | "auto" | "plain" | "digest" | "0k" | "change" | "remove";

export interface Scenario {
  opening: Omit<Turn, "id" | "seq">;
  turns: Turn[];
  ending: Ending;
  tls: "none" | "auto";
  steps: Step[];
}

const fraction = fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: "none" as const }) },
  fc.record({ kind: fc.constant("truncate" as const), at: fraction }),
  fc.record({ kind: fc.constant("flip" as const), at: fraction, byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fraction,
    text: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 8, unit: "binary" })),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }),
);

const packets = fc.array(fc.integer({ min: 1, max: 48 }), { maxLength: 5 });

const turn: fc.Arbitrary<Turn> = fc.record({
  template: fc.integer({ min: 0, max: REPLIES.length - 1 }),
  id: fc.constantFrom("right", "right", "right", "wrong", "none"),
  seq: fc.constantFrom("5", "0", "1", "-1", "abc", "100001", "9".repeat(40), ""),
  mutation,
  packets,
});

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  opening: fc.record({ template: fc.integer({ min: 0, max: OPENINGS.length - 1 }), mutation, packets }),
  turns: fc.array(turn, { maxLength: 4 }),
  ending: fc.constantFrom("silent", "end", "destroy", "stream-end"),
  tls: fc.constantFrom("none", "auto"),
  steps: fc.array(
    fc.constantFrom<Step>("inquire", "register", "methods", "auto", "plain", "digest", "0k", "change", "remove"),
    { minLength: 1, maxLength: 3 },
  ),
});

/** Apply a mutation to the bytes of one turn. */
export function mutate(bytes: Buffer, m: Mutation): Buffer {
  const at = (f: number) => Math.floor(f * bytes.length);
  switch (m.kind) {
    case "none":
      return bytes;
    case "truncate":
      return bytes.subarray(0, at(m.at));
    case "flip": {
      const copy = Buffer.from(bytes);
      if (copy.length > 0) copy[Math.min(at(m.at), copy.length - 1)] = m.byte;
      return copy;
    }
    case "insert":
      return Buffer.concat([bytes.subarray(0, at(m.at)), Buffer.from(m.text, "latin1"), bytes.subarray(at(m.at))]);
    case "delete":
      return Buffer.concat([bytes.subarray(0, at(m.at)), bytes.subarray(at(m.at) + m.length)]);
  }
}

/** Cut `bytes` into the scenario's packet sizes; whatever is left goes last. */
export function split(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

/**
 * Fill a reply template in for the client's last request. `{password}` quotes whichever of `secrets` the client
 * sent on this connection (`sent`), as a careless server would; it cannot leak through us what we never sent it.
 */
export function render(
  template: string,
  t: Turn,
  request: { id: string; payload: string },
  secrets: string[],
  sent: string,
): string {
  const id = t.id === "right" ? request.id : t.id === "wrong" ? `${request.id}x` : "";
  const quoted = secrets.map(escapeXML).find((secret) => sent.includes(secret)) ?? "no secret here";
  return template
    .replaceAll("{id}", id)
    .replaceAll("{echo}", request.payload)
    .replaceAll("{password}", quoted)
    .replaceAll("{seq}", t.seq);
}
