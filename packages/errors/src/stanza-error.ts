// RFC 6120 §8.3 stanza errors, read from and written to both the modern and the legacy (XEP-0086) shape.
import xml, { type Element } from "@xmpp/xml";
import {
  type ErrorType,
  isErrorType,
  isLegacyCode,
  isStanzaCondition,
  LEGACY_CODES,
  STANZA_CONDITIONS,
  type StanzaCondition,
} from "./conditions.js";
import { STANZAS_NS } from "./namespaces.js";
import { redactElement, scrubText } from "./redact.js";
import { textHint } from "./text-hints.js";
import { XmppError } from "./xmpp-error.js";

export interface StanzaErrorInit {
  /** An RFC 6120 condition, or whatever unknown condition the server sent. */
  condition: StanzaCondition | (string & {});
  code?: number | undefined;
  type?: ErrorType | undefined;
  text?: string | undefined;
  /** The error reply as received, with secrets removed. */
  element?: Element | undefined;
  /** Extra advice appended to the message (e.g. why a server may refuse iq:auth). */
  hint?: string | undefined;
  cause?: unknown;
}

/** How `toElement` writes an error: legacy is jabberd 1.4's code + text, modern is RFC 6120, both is all of it. */
export type ErrorStyle = "legacy" | "modern" | "both";

export interface FromElementOptions {
  /** Strings to scrub from the server's text (the request's password, say). */
  secrets?: readonly (string | undefined)[];
  /** Extra advice appended to the message and kept as `hint` (e.g. why a server may refuse iq:auth). */
  hint?: string;
}

/** An error reply to a stanza (RFC 6120 §8.3): the legacy code, the condition, its type and the server's text. */
export class StanzaError extends XmppError {
  override name = "StanzaError";
  readonly condition: string;
  readonly code: number | undefined;
  readonly type: ErrorType | undefined;
  readonly text: string | undefined;
  readonly element: Element | undefined;

  constructor(init: StanzaErrorInit) {
    const info = isStanzaCondition(init.condition) ? STANZA_CONDITIONS[init.condition] : undefined;
    const code = init.code ?? info?.code;
    const type = init.type ?? info?.type;
    const label = [code, init.condition].filter((part) => part !== undefined).join(" ");
    super(`${init.text || info?.text || "Error"} (${label})`, { cause: init.cause, hint: init.hint });
    this.condition = init.condition;
    this.code = code;
    this.type = type;
    this.text = init.text;
    // Redacted again: an element handed to the constructor may still carry a password.
    this.element = init.element && redactElement(init.element);
  }

  /** Build the typed error for an `<error/>` element or a stanza that carries one. */
  static fromElement(el: Element, options: FromElementOptions = {}): StanzaError {
    const error = el.name === "error" ? el : el.getChild("error");
    const element = redactElement(el, options.secrets);
    if (!error) {
      return new UndefinedConditionError({ text: "Error reply without an <error/> element", element });
    }
    const parsed = parseErrorElement(error);
    const text = parsed.text === undefined ? undefined : scrubText(parsed.text, options.secrets);
    const legacy = parsed.code !== undefined && isLegacyCode(parsed.code) ? LEGACY_CODES[parsed.code] : undefined;
    // The condition wins over a disagreeing code (XEP-0077's own example pairs 401 with <forbidden/>).
    const condition = parsed.condition ?? legacy?.condition ?? "undefined-condition";
    const type = isErrorType(parsed.type) ? parsed.type : parsed.condition ? undefined : legacy?.type;
    const hint = options.hint ?? textHint(condition, text);
    const init = { code: parsed.code, type, text, element, hint };
    return createStanzaError({ ...init, condition });
  }

  /** The `<error/>` element for this error, in the chosen style (servers raise what clients catch). */
  toElement(style: ErrorStyle = "both"): Element {
    const attrs: Record<string, string> = {};
    if (style !== "modern" && this.code !== undefined) attrs.code = String(this.code);
    if (style !== "legacy" && this.type !== undefined) attrs.type = this.type;
    const el = xml("error", attrs);
    // Legacy text sits directly inside <error> (jabberd 1.4; Net::Jabber's GetError() reads only that), modern
    // text in <text/>: "both" writes it both ways, so clients of either era read it.
    if (style !== "modern" && this.text) el.t(this.text);
    if (style === "legacy") return el;
    el.c(this.condition, { xmlns: STANZAS_NS });
    if (this.text) el.c("text", { xmlns: STANZAS_NS }).t(this.text);
    return el;
  }
}

interface ParsedError {
  code: number | undefined;
  type: string | undefined;
  condition: string | undefined;
  text: string | undefined;
}

function parseErrorElement(error: Element): ParsedError {
  const rawCode = error.attrs.code;
  const code = rawCode !== undefined && /^\d{3}$/.test(String(rawCode)) ? Number(rawCode) : undefined;
  const conditions = error.getChildElements().filter((c) => c.attrs.xmlns === STANZAS_NS && c.name !== "text");
  // Several conditions are a protocol violation: prefer the first one we know.
  const condition = (conditions.find((c) => isStanzaCondition(c.name)) ?? conditions[0])?.name;
  const texts = error.getChildren("text", STANZAS_NS);
  const english = texts.find((t) => !t.attrs["xml:lang"] || String(t.attrs["xml:lang"]).startsWith("en"));
  const modernText = (english ?? texts[0])?.getText();
  const legacyText = error.getText().trim();
  return {
    code,
    type: error.attrs.type === undefined ? undefined : String(error.attrs.type),
    condition,
    text: modernText || legacyText || undefined,
  };
}

/**
 * The init that says `refusal` again with `hint` added and `refusal` as its cause: its condition, code, type, text
 * and element kept. For a more specific class of the same reply (a throttle, an invite needed, a login's hint).
 */
export function restatedRefusal(refusal: StanzaError, hint: string): StanzaErrorInit {
  const { condition, code, type, text, element } = refusal;
  return { condition, code, type, text, element, hint, cause: refusal };
}

/** What a condition's own class (`ConflictError`…) takes: a `StanzaErrorInit` without the condition it fixes. */
export type ConditionInit = Omit<StanzaErrorInit, "condition">;

function conditionClass<C extends StanzaCondition>(condition: C, name: string) {
  return class extends StanzaError {
    override name = name;
    declare readonly condition: C;
    constructor(init: ConditionInit = {}) {
      super({ ...init, condition });
    }
  };
}

export class BadRequestError extends conditionClass("bad-request", "BadRequestError") {}
export class ConflictError extends conditionClass("conflict", "ConflictError") {}
export class FeatureNotImplementedError extends conditionClass(
  "feature-not-implemented",
  "FeatureNotImplementedError",
) {}
export class ForbiddenError extends conditionClass("forbidden", "ForbiddenError") {}
export class GoneError extends conditionClass("gone", "GoneError") {}
export class InternalServerError extends conditionClass("internal-server-error", "InternalServerError") {}
export class ItemNotFoundError extends conditionClass("item-not-found", "ItemNotFoundError") {}
export class JidMalformedError extends conditionClass("jid-malformed", "JidMalformedError") {}
export class NotAcceptableError extends conditionClass("not-acceptable", "NotAcceptableError") {}
export class NotAllowedError extends conditionClass("not-allowed", "NotAllowedError") {}
export class NotAuthorizedError extends conditionClass("not-authorized", "NotAuthorizedError") {}
export class PaymentRequiredError extends conditionClass("payment-required", "PaymentRequiredError") {}
export class PolicyViolationError extends conditionClass("policy-violation", "PolicyViolationError") {}
export class RecipientUnavailableError extends conditionClass("recipient-unavailable", "RecipientUnavailableError") {}
export class RedirectError extends conditionClass("redirect", "RedirectError") {}
export class RegistrationRequiredError extends conditionClass("registration-required", "RegistrationRequiredError") {}
export class RemoteServerNotFoundError extends conditionClass("remote-server-not-found", "RemoteServerNotFoundError") {}
export class RemoteServerTimeoutError extends conditionClass("remote-server-timeout", "RemoteServerTimeoutError") {}
export class ResourceConstraintError extends conditionClass("resource-constraint", "ResourceConstraintError") {}
export class ServiceUnavailableError extends conditionClass("service-unavailable", "ServiceUnavailableError") {}
export class SubscriptionRequiredError extends conditionClass("subscription-required", "SubscriptionRequiredError") {}
export class UndefinedConditionError extends conditionClass("undefined-condition", "UndefinedConditionError") {}
export class UnexpectedRequestError extends conditionClass("unexpected-request", "UnexpectedRequestError") {}

export const STANZA_ERROR_CLASSES = {
  "bad-request": BadRequestError,
  conflict: ConflictError,
  "feature-not-implemented": FeatureNotImplementedError,
  forbidden: ForbiddenError,
  gone: GoneError,
  "internal-server-error": InternalServerError,
  "item-not-found": ItemNotFoundError,
  "jid-malformed": JidMalformedError,
  "not-acceptable": NotAcceptableError,
  "not-allowed": NotAllowedError,
  "not-authorized": NotAuthorizedError,
  "payment-required": PaymentRequiredError,
  "policy-violation": PolicyViolationError,
  "recipient-unavailable": RecipientUnavailableError,
  redirect: RedirectError,
  "registration-required": RegistrationRequiredError,
  "remote-server-not-found": RemoteServerNotFoundError,
  "remote-server-timeout": RemoteServerTimeoutError,
  "resource-constraint": ResourceConstraintError,
  "service-unavailable": ServiceUnavailableError,
  "subscription-required": SubscriptionRequiredError,
  "undefined-condition": UndefinedConditionError,
  "unexpected-request": UnexpectedRequestError,
} as const satisfies Record<StanzaCondition, new (init?: ConditionInit) => StanzaError>;

/** The most specific class for a condition; an unknown condition gives a plain `StanzaError`. */
export function createStanzaError(init: StanzaErrorInit): StanzaError {
  if (isStanzaCondition(init.condition)) {
    const { condition, ...rest } = init;
    return new STANZA_ERROR_CLASSES[condition](rest);
  }
  return new StanzaError(init);
}
