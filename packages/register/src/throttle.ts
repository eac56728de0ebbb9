// RFC 6120 §8.3.2 an error of type `wait` on a registration: the server limits how often one address may register
// (docs/shipped.md#throttles). Typed, with the server's setting named where its text tells which server it is.
import { restatedRefusal, StanzaError } from "@reguser/errors";

/** A server's registration throttle, recognised by the text it sends. */
interface KnownThrottle {
  server: "ejabberd" | "prosody";
  text: RegExp;
  setting: string;
}

const KNOWN: readonly KnownThrottle[] = [
  {
    server: "ejabberd",
    text: /not allowed to register accounts so quickly/i,
    setting: "ejabberd's `registration_timeout` (default 600 s between registrations from one IP address)",
  },
  {
    server: "ejabberd",
    text: /too many captcha requests/i,
    setting: "ejabberd's `captcha_limit` (CAPTCHA requests per minute from one address)",
  },
  {
    server: "prosody",
    text: /too many registrations from this ip/i,
    setting:
      "Prosody's `registration_throttle_max` and `registration_throttle_period`, or " +
      "`min_seconds_between_registrations` (mod_register_limits); addresses in `registration_allowlist` are exempt",
  },
];

const WAY_AROUND =
  "create the accounts through an admin path instead (`admin`: a Provisioner of @reguser/admin; the CLI's --admin), " +
  "which the server does not throttle, or register from another address (`localAddress`)";

/**
 * The server refused a registration for now, not for good: too many from this address recently (an error of type
 * `wait`). Keeps the server's condition, code, type, text and element; `server` and `setting` say which setting of
 * which server causes it when its text tells, and the message says what to change.
 */
export class RegistrationThrottledError extends StanzaError {
  override name = "RegistrationThrottledError";
  /** The server software, when its text gave it away. */
  readonly server: KnownThrottle["server"] | undefined;
  /** The server setting that limits registrations, when known. */
  readonly setting: string | undefined;

  /** The throttle that `refusal` (the server's typed error of type `wait`) is. */
  constructor(refusal: StanzaError) {
    const known = KNOWN.find((k) => k.text.test(refusal.text ?? ""));
    const cause = known ? `the server's registration throttle, ${known.setting}` : "the server's registration throttle";
    super(restatedRefusal(refusal, `${cause}: wait, or ${WAY_AROUND}`));
    this.server = known?.server;
    this.setting = known?.setting;
  }
}

/** Whether `err` is the server's "not now" (`type='wait'`) to a registration, typed or not yet. */
export function isThrottle(err: unknown): boolean {
  return err instanceof StanzaError && err.type === "wait";
}

/** `err` as a `RegistrationThrottledError` when it is a throttle, else `err` itself. */
export function asThrottle(err: unknown): unknown {
  if (err instanceof RegistrationThrottledError || !(err instanceof StanzaError) || err.type !== "wait") return err;
  return new RegistrationThrottledError(err);
}
