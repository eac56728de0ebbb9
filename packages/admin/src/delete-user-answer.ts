// XEP-0133 §4.2 Delete User with several `accountjids`: what an answer says about each JID
// (docs/provisioning.md#35-many-jids).
import {
  ItemNotFoundError,
  JidMalformedError,
  ProtocolError,
  StanzaError,
  StreamError,
  XmppError,
} from "@reguser/errors";
import type { CommandReply, DataForm } from "@reguser/protocol";
import { AdminCommandError } from "./run-command.js";

/** What one JID of a delete-user command came to. */
export type JidOutcome = { jid: string; removed: true } | { jid: string; removed: false; error: Error };

/** What an answer can mean for the batch it answered, as `classifyFailure` tells. */
export type BatchFailure =
  /** About the batch's only JID: that account's outcome. */
  | "this-jid"
  /** One JID or more spoiled a batch the server runs all or nothing (ejabberd, Openfire): split it to find them. */
  | "split"
  /** The server would not take several JIDs in one command: `BatchRefusedError`. */
  | "refused"
  /** Nothing to do with the JIDs (credential, rights, connection): the whole request failed. */
  | "whole";

/** Field types that carry several values (XEP-0004 §3.3). */
const MULTI = new Set(["jid-multi", "text-multi", "list-multi"]);
/** IQ errors by which a server may refuse a long `accountjids` as such, rather than one JID in it. */
const REFUSALS = new Set([
  "bad-request",
  "not-acceptable",
  "feature-not-implemented",
  "not-allowed",
  "policy-violation",
  "resource-constraint",
]);

/** A server refused a delete-user with several JIDs: it may take one per command only, or the submit was too big. */
export class BatchRefusedError extends XmppError {
  override name = "BatchRefusedError";
  /** How many JIDs the refused command carried. */
  readonly size: number;
  constructor(size: number, reason: string, options: { cause?: unknown; hint?: string } = {}) {
    super(`delete-user with ${size} JIDs was refused: ${reason}`, {
      cause: options.cause,
      hint: options.hint ?? "the server may take one JID per command: set batchSize: 1, or call removeUser",
    });
    this.size = size;
  }
}

/** Before submitting `size` JIDs: the form must declare `accountjids` as a field of several values. */
export function checkTakesMany(form: DataForm, size: number): BatchRefusedError | undefined {
  if (size < 2) return undefined;
  const field = form.fields.find((f) => f.var === "accountjids");
  if (field && MULTI.has(field.type ?? "")) return undefined;
  const declared = field ? `accountjids as ${field.type ?? "text-single"}` : "no accountjids field";
  return new BatchRefusedError(size, `its form declares ${declared}, which holds one JID`);
}

/**
 * A submitted delete-user that failed: what that says about the batch of `size` JIDs. Error notes and
 * `item-not-found` / `jid-malformed` are about JIDs (ejabberd answers `item-not-found` "No hook has processed this
 * command" when any JID is unknown, Openfire an error note, Prosody an error note for a JID it cannot parse).
 */
export function classifyFailure(error: Error, size: number): BatchFailure {
  const aboutJids =
    error instanceof AdminCommandError || error instanceof ItemNotFoundError || error instanceof JidMalformedError;
  if (aboutJids) return size === 1 ? "this-jid" : "split";
  if (size === 1) return "whole";
  if (error instanceof StanzaError && REFUSALS.has(error.condition)) return "refused";
  if (error instanceof StreamError && error.condition === "policy-violation") return "refused";
  return "whole";
}

/** The refusal `classifyFailure` called "refused", said so. */
export function refusal(error: Error, size: number): BatchRefusedError {
  if (error instanceof StreamError) {
    return new BatchRefusedError(size, error.message, {
      cause: error,
      hint:
        "the submit is over the server's stanza limit (Prosody: c2s_unauthed_stanza_size_limit for an iq:auth " +
        "session); lower maxSubmitBytes",
    });
  }
  return new BatchRefusedError(size, error.message, { cause: error });
}

/** A one-JID failure as the typed error `removeUser` would give (docs/provisioning.md#34-rules, rule 4). */
export function jidError(error: Error): Error {
  if (!(error instanceof AdminCommandError)) return error;
  if (/invalid jid/i.test(error.note)) return new JidMalformedError({ text: error.note, cause: error });
  if (/does not exist|not found|could not be deleted/i.test(error.note)) {
    return new ItemNotFoundError({ text: error.note, cause: error });
  }
  return error;
}

/**
 * A completed delete-user, per JID of `sent`. Prosody lists the JIDs it deleted and those it could not (in
 * normalised form) in an info note; a JID it does not name is a `ProtocolError`. Where no note names any JID
 * (ejabberd: no note; Openfire: "Operation finished successfully"), completion means every JID was deleted.
 */
export function readDeleteAnswer(reply: CommandReply, sent: readonly string[]): JidOutcome[] {
  if (reply.status !== "completed") {
    const error = new ProtocolError(`${reply.node} ended with status ${reply.status ?? "none"}`);
    return sent.map((jid) => ({ jid, removed: false, error }));
  }
  const lists = reply.notes.filter((n) => n.type === "info").map((n) => parseDeleteNote(n.text));
  const named = lists.filter((l) => l !== undefined);
  if (named.length === 0) return sent.map((jid) => ({ jid, removed: true }));
  const deleted = new Set(named.flatMap((l) => l.deleted).map(jidKey));
  const notDeleted = new Set(named.flatMap((l) => l.notDeleted).map(jidKey));
  return sent.map((jid): JidOutcome => {
    const key = jidKey(jid);
    if (deleted.has(key)) return { jid, removed: true };
    const text = notDeleted.has(key)
      ? `${jid} could not be deleted (Prosody says so of an account that does not exist, too)`
      : undefined;
    if (text) return { jid, removed: false, error: new ItemNotFoundError({ text }) };
    return { jid, removed: false, error: new ProtocolError(`the delete-user answer does not name ${jid}`) };
  });
}

/**
 * Prosody 0.12 `mod_admin_adhoc`'s info note: "The following accounts were successfully deleted:" and "The
 * following accounts could not be deleted:", each followed by one JID a line. Undefined for a note without them.
 */
export function parseDeleteNote(text: string): { deleted: string[]; notDeleted: string[] } | undefined {
  const lists = { deleted: [] as string[], notDeleted: [] as string[] };
  let current: string[] | undefined;
  let headers = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.endsWith(":")) {
      headers += 1;
      current = /could not|not deleted|failed/i.test(line)
        ? lists.notDeleted
        : /deleted|removed/i.test(line)
          ? lists.deleted
          : undefined;
    } else if (line !== "") {
      current?.push(line);
    }
  }
  return headers === 0 ? undefined : lists;
}

/** How servers compare JIDs, closely enough for ours: NFKC and lower case (nodeprep and nameprep do more). */
export function jidKey(jid: string): string {
  return jid.normalize("NFKC").toLowerCase();
}
