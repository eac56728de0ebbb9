// XEP-0133 §4.2 Delete User: the `accountjids` of one command, cut so that the submit fits the server's stanza limit.
import { JidMalformedError } from "@reguser/errors";
import { buildCommand, NS } from "@reguser/protocol";
import xml from "@xmpp/xml";

/** JIDs in one delete-user command, by default. */
export const DEFAULT_BATCH_SIZE = 500;

/**
 * Bytes of one delete-user submit (the whole IQ), by default. Prosody 0.12 holds a session that logged in with
 * jabber:iq:auth, as this library does, to `c2s_unauthed_stanza_size_limit` (10,000 bytes): only a SASL login raises
 * it to `c2s_stanza_size_limit` (256 KiB). A bigger stanza ends the stream with `policy-violation`. ejabberd's
 * `max_stanza_size` is 262,144 in its stock configuration.
 */
export const DEFAULT_MAX_SUBMIT_BYTES = 9_000;

/** How `jidBatches` cuts: most JIDs per batch, most bytes per submit, the domain the IQ goes to. */
export interface BatchLimits {
  batchSize: number;
  maxSubmitBytes: number;
  domain: string;
}

/** RFC 7622 §3.3.1: what a localpart can never hold, nodeprep or not (space and controls are prohibited output). */
const NOT_IN_LOCALPART = /[\s"&'/:<>@\p{Cc}]/u;
/** RFC 7622 §3.3.1: a localpart is 1 to 1023 bytes. */
const MAX_LOCALPART_BYTES = 1023;

/** Why `username` cannot be the localpart of a JID, or undefined when it can (the server has the last word). */
export function localpartProblem(username: unknown): JidMalformedError | undefined {
  if (typeof username !== "string" || username.length === 0) {
    return new JidMalformedError({ text: `a username must be a non-empty string, got ${describe(username)}` });
  }
  if (NOT_IN_LOCALPART.test(username)) {
    return new JidMalformedError({ text: `${JSON.stringify(username)} holds a character a JID's localpart cannot` });
  }
  if (Buffer.byteLength(username) > MAX_LOCALPART_BYTES) {
    return new JidMalformedError({ text: `a localpart is at most ${MAX_LOCALPART_BYTES} bytes` });
  }
  return undefined;
}

/**
 * `jids` in batches of at most `batchSize`, each small enough that its submit stays within `maxSubmitBytes`; a JID
 * too big to share a submit goes alone. Order is kept.
 */
export function jidBatches(jids: readonly string[], limits: BatchLimits): string[][] {
  const batches: string[][] = [];
  const envelope = envelopeBytes(limits.domain);
  let batch: string[] = [];
  let bytes = envelope;
  for (const jid of jids) {
    const cost = Buffer.byteLength(xml("value", {}, jid).toString());
    if (batch.length > 0 && (batch.length >= limits.batchSize || bytes + cost > limits.maxSubmitBytes)) {
      batches.push(batch);
      batch = [];
      bytes = envelope;
    }
    batch.push(jid);
    bytes += cost;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/** The submit without its JIDs, with room for the longest IQ id and `sessionid` we expect (40 and 64 characters). */
function envelopeBytes(domain: string): number {
  const form = {
    type: "submit" as const,
    instructions: [],
    fields: [
      { var: "FORM_TYPE", type: "hidden" as const, required: false, values: [NS.admin], options: [] },
      { var: "accountjids", required: false, values: [], options: [] },
    ],
  };
  const command = buildCommand({ node: `${NS.admin}#delete-user`, sessionid: "s".repeat(64), form });
  const iq = xml("iq", { xmlns: "jabber:client", type: "set", to: domain, id: "i".repeat(40) }, command);
  return Buffer.byteLength(iq.toString());
}

function describe(value: unknown): string {
  if (value === "") return "an empty string";
  return value === null ? "null" : typeof value;
}
