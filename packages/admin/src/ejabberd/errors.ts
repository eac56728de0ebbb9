// ejabberd mod_http_api's own failures: `{"status":"error","code":N,"message":"…"}` or a bare JSON string with an
// HTTP status (docs/provisioning.md#412-replies-and-errors).
import { XmppError } from "@reguser/errors";

export interface EjabberdApiErrorInit {
  /** Names the call, e.g. `ejabberd HTTP API createUser "juliet"`. Never the URL. */
  where: string;
  status: number;
  /** mod_http_api's code: 10 (credentials), 32 (access rules), 40 (no such command), 10001, 10090… */
  code?: number | undefined;
  /** ejabberd's message (or its bare string reply), secrets removed. */
  text?: string | undefined;
  hint?: string | undefined;
  cause?: unknown;
}

/**
 * A failure mod_http_api reported. Failures with an XMPP condition are that condition's class (`ConflictError`,
 * `ItemNotFoundError`, `NotAuthorizedError`, `ForbiddenError`…) with one of these as their `cause`; others arrive
 * as this class itself.
 */
export class EjabberdApiError extends XmppError {
  override name = "EjabberdApiError";
  readonly status: number;
  readonly code: number | undefined;
  readonly text: string | undefined;
  constructor(init: EjabberdApiErrorInit) {
    const label = init.code === undefined ? `HTTP ${init.status}` : `HTTP ${init.status}, code ${init.code}`;
    super(`${init.where}: ${init.text || "failed"} (${label})`, { hint: init.hint, cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.text = init.text;
  }
}

/**
 * ejabberd answered in a way that means its configuration, or the provisioner's options, do not fit: nothing serves
 * `/api` at `baseUrl`, the command is not there, `host` is not one of its virtual hosts. The `hint` says what to set.
 */
export class EjabberdConfigurationError extends EjabberdApiError {
  override name = "EjabberdConfigurationError";
}
