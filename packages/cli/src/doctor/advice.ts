// The setting to change on each server the doctor knows, for each thing that gets in registration's way
// (docs/servers.md, docs/shipped.md).
import type { ServerKind } from "./check.js";

/** The problems the doctor has advice for. */
export type Problem = "closed" | "encryption" | "invite-only" | "captcha" | "throttle" | "hashed";

const ADVICE: Record<Problem, Partial<Record<ServerKind, string>> & { any: string }> = {
  closed: {
    prosody: "set `allow_registration = true` (or create accounts through --admin xep0133)",
    ejabberd:
      "allow the `register` access rule (`access_rules: register: allow: all`, mod_register `access`), or use --admin",
    jabberd2: "add `<register-enable/>` to c2s.xml's <authreg>, or use --admin",
    embedded: "start it without `registration: false`",
    any: "switch in-band registration on, or create accounts through an admin path (--admin)",
  },
  encryption: {
    prosody: "connect with --tls auto (STARTTLS), or set `c2s_require_encryption = false`",
    any: "connect with --tls auto: the server wants an encrypted stream",
  },
  "invite-only": {
    prosody:
      "register with an invite (--invite; `prosodyctl mod_invites generate DOMAIN`), or set `registration_invite_only = false`",
    any: "register with an invite (--invite URI)",
  },
  captcha: {
    ejabberd:
      "answer it (--captcha-out FILE; solveCaptcha in the library), or set mod_register `captcha_protected: false`",
    embedded: "answer it, or start the server without `captcha`",
    any: "answer it (--captcha-out FILE; solveCaptcha in the library)",
  },
  throttle: {
    ejabberd: "raise or switch off `registration_timeout` (`infinity`), or create accounts through --admin",
    prosody: "raise `registration_throttle_max` or add the address to `registration_allowlist`, or use --admin",
    any: "wait between registrations, or create accounts through --admin (admin paths are not throttled)",
  },
  hashed: {
    ejabberd:
      "`auth_password_format: plain` lets digest logins work (docs/traps.md#trap-5); plaintext and SASL work as it is",
    prosody: '`authentication = "internal_plain"` lets digest logins work; plaintext and SASL work as it is',
    any: "the server stores hashed passwords: digest logins cannot work, plaintext and SASL can",
  },
};

/** What to change for `problem` on `kind` (the general advice for a server the doctor does not know). */
export function adviceFor(problem: Problem, kind: ServerKind | undefined): string {
  const advice = ADVICE[problem];
  return (kind && advice[kind]) || advice.any;
}
