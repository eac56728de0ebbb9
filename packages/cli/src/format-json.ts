// --json: the same facts as one object per run; errors by class, code and condition; never a password.
import { StanzaError, XmppError } from "reguser";
import type { Result } from "./results.js";

export type JsonRecord = Record<string, unknown>;

/** The `--json` record of a command's result (one line of output per result). */
export function jsonOf(result: Result): JsonRecord {
  switch (result.kind) {
    case "inquiry":
      return {
        fields: result.fields,
        instructions: result.instructions,
        registered: result.registered,
        oobUrl: result.oobUrl,
      };
    case "attempt":
      return { username: result.username, registered: true, via: result.via };
    case "methods":
      return { username: result.username, methods: result.offered };
    case "login":
      return { username: result.username, jid: result.jid, method: result.method, loggedIn: true };
    case "passwd":
      return { username: result.username, passwordChanged: true, via: result.via };
    case "remove":
      return { username: result.username, removed: true, via: result.via };
    case "bulk": {
      const { ok, ...rest } = result.summary;
      return { registered: ok, ...rest };
    }
    case "fallback":
      return { via: "admin", inBandRefused: jsonError(result.error) };
  }
}

/** An error as data: class name and message, plus code, condition, type and text for stanza errors, and any hint. */
export function jsonError(err: unknown): JsonRecord {
  if (err instanceof StanzaError) {
    const { name, code, condition, type, text, message, hint } = err;
    return { name, code, condition, type, text, message, hint };
  }
  if (err instanceof XmppError) return { name: err.name, message: err.message, hint: err.hint };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { name: "Error", message: String(err) };
}
