// Openfire plugins' own failures that have no XMPP condition: the REST API's error entity
// (docs/provisioning.md#12-user-endpoints-and-errors) and the User Service's replies
// (docs/provisioning.md#22-requests-and-replies).
import { XmppError } from "@reguser/errors";

export interface OpenfireErrorInit {
  /** The exception name the plugin reported (`UserServiceDisabled`, `java.lang.NullPointerException`…). */
  exception: string;
  text?: string | undefined;
  /** The REST API's `resource` (a username, a JID, `users`). */
  resource?: string | undefined;
  /** The HTTP status, when it carried meaning (the REST API; the User Service always answers 200). */
  status?: number | undefined;
  hint?: string | undefined;
  cause?: unknown;
}

/**
 * An exception an Openfire plugin reported by name. Unknown names arrive as this class; the User Service's own
 * ones as the subclasses below; the mapped ones (`ConflictError`…) carry one as their `cause`.
 */
export class OpenfireError extends XmppError {
  override name = "OpenfireError";
  readonly exception: string;
  readonly text: string | undefined;
  readonly resource: string | undefined;
  readonly status: number | undefined;
  constructor(init: OpenfireErrorInit) {
    const head = init.text ? `${init.text} (${init.exception})` : init.exception;
    super(init.hint ? `${head}: ${init.hint}` : head, { cause: init.cause });
    this.exception = init.exception;
    this.text = init.text;
    this.resource = init.resource;
    this.status = init.status;
  }
}

/** What an Openfire error of a known exception (`UserServiceDisabledError`…) takes: the class fixes `exception`. */
export type NamedInit = Omit<OpenfireErrorInit, "exception">;

/** `<error>UserServiceDisabled</error>`: the plugin is switched off in the admin console. */
export class UserServiceDisabledError extends OpenfireError {
  override name = "UserServiceDisabledError";
  constructor(init: NamedInit = {}) {
    super({ ...init, exception: "UserServiceDisabled" });
  }
}

/** `IllegalArgumentException`: a parameter was missing or bad (no username, a bad JID or subscription…). */
export class IllegalArgumentError extends OpenfireError {
  override name = "IllegalArgumentError";
  constructor(init: NamedInit = {}) {
    super({ ...init, exception: "IllegalArgumentException" });
  }
}

/** `SharedGroupException`: a roster item cannot be added to, or removed from, a shared group. */
export class SharedGroupError extends OpenfireError {
  override name = "SharedGroupError";
  constructor(init: NamedInit = {}) {
    super({ ...init, exception: "SharedGroupException" });
  }
}

/**
 * The server answered, but not as the plugin would: a redirect to the admin console's login page (the
 * `adminConsole.access.allow-wildcards-in-excludes` trap, docs/provisioning.md#11-address-auth-setup), an HTML page,
 * nothing at the path.
 */
export class OpenfireConfigurationError extends XmppError {
  override name = "OpenfireConfigurationError";
  readonly status: number | undefined;
  constructor(text: string, options: { status?: number | undefined; hint?: string | undefined } = {}) {
    super(options.hint ? `${text}: ${options.hint}` : text);
    this.status = options.status;
  }
}
