// XEP-0077 §3.1 the registration attempt (IQ-set), with legacy fields or the offered data form.
import { requireTextOptions, XmppError } from "@reguser/errors";
import { assertConfidential, type IqOptions, type IqSession } from "@reguser/iq";
import {
  buildRegistrationFormRequest,
  buildRegistrationRequest,
  fillForm,
  formTypeOf,
  type Invite,
  inviteOf,
  NS,
  type RegistrationInfo,
} from "@reguser/protocol";
import xml, { type Element } from "@xmpp/xml";
import {
  CaptchaFailedError,
  CaptchaRequiredError,
  type CaptchaSolver,
  DEFAULT_CAPTCHA_ATTEMPTS,
  isCaptchaRefusal,
} from "./captcha.js";
import { inquire } from "./inquire.js";
import { asInviteRequired, checkInvite, sendInviteToken } from "./invite.js";
import { checkPassword, passesWithoutTables, type SaslprepPolicy } from "./password-policy.js";
import { asThrottle } from "./throttle.js";
import { type ZeroKnowledgeChain, zeroKnowledgeRequest } from "./zero-knowledge.js";

export interface NewAccount {
  username: string;
  password: string;
  email?: string;
  name?: string;
  /** Any other field the server lists (`nick`, `phone`…), or a form field (`ocr` for a CAPTCHA). */
  [field: string]: string | undefined;
}

export interface RegisterOptions extends IqOptions {
  /** What to do with a password SASLprep would change. Default `refuse`. */
  saslprep?: SaslprepPolicy;
  /** What `inquire` returned: a server that offered only a data form gets it filled in, its `key` goes back. */
  inquiry?: RegistrationInfo;
  /** Answer with a data form (`true`), legacy fields (`false`), or decide from the inquiry (default). */
  useForm?: boolean;
  /**
   * An invite (its URI, or `parseInviteUri`'s result): its token goes to the server in a `<preauth/>` first
   * (XEP-0445). One that fixes the name must be used with that name.
   */
  invite?: Invite | string | undefined;
  /**
   * Answers the CAPTCHA the inquiry's form carries (XEP-0158): given its answer field, image and fallback page, it
   * returns the text. Without it such a form is a `CaptchaRequiredError` before anything is sent.
   */
  solveCaptcha?: CaptchaSolver | undefined;
  /** CAPTCHA tries: after a wrong answer a fresh challenge is fetched (ejabberd's are single use). Default 3. */
  captchaAttempts?: number | undefined;
  /**
   * Register with a zero-knowledge hash chain instead of the password (`true`, or the chain's `sequence` and
   * `token`), where the inquiry shows an empty `<hash/>`: the password never crosses the wire, so an unencrypted
   * stream is allowed. The account can then log in only with 0k. No current server offers it.
   */
  zeroKnowledge?: boolean | ZeroKnowledgeChain | undefined;
}

/** The server wants registration on a web page (XEP-0077 §5, jabber:x:oob). */
export class OutOfBandRegistrationError extends XmppError {
  override name = "OutOfBandRegistrationError";
  readonly url: string;
  constructor(url: string) {
    super(`This server registers accounts on a web page: ${url}`);
    this.url = url;
  }
}

/** A data form the server requires has fields nobody filled in. */
export class MissingFieldsError extends XmppError {
  override name = "MissingFieldsError";
  readonly fields: readonly string[];
  constructor(fields: readonly string[], captcha: boolean) {
    const what = captcha ? "The server asks for a CAPTCHA; fill in" : "The registration form requires";
    super(`${what}: ${fields.join(", ")}`);
    this.fields = fields;
  }
}

/**
 * Register one account (XEP-0077 §3.1); several may be registered on one session. Before anything is sent, a
 * missing or empty `username` or `password` is an `InvalidOptionError`, a password SASLprep would change a
 * `PasswordPreparationError`, and a password over an unencrypted remote connection an `InsecureConnectionError`.
 * The server's refusal is a `StanzaError` subclass (`ConflictError` for a taken name…); a refusal for now (type
 * `wait`: too many registrations from this address) is a `RegistrationThrottledError` naming the server's setting;
 * an invite-only server's refusal is an `InviteRequiredError`, and a refused invite an `InviteInvalidError`.
 */
export function register(session: IqSession, account: NewAccount, options: RegisterOptions = {}): Promise<void> {
  if (options.inquiry?.captcha && options.solveCaptcha) return registerWithCaptcha(session, account, options);
  if (options.invite !== undefined) return registerWithInvite(session, account, options, options.invite);
  // A zero-knowledge chain is hashed first, and a password SASLprep's tables must judge waits for them.
  if (options.zeroKnowledge) return registerChecked(session, account, options);
  // The common case (every registerMany request): one IQ and one promise, no async layers in between.
  let iq: Element;
  try {
    if (!quickCheck(account, options)) return registerChecked(session, account, options);
    iq = xml("iq", { type: "set" }, plainQuery(session, account, options));
  } catch (err) {
    return Promise.reject(err);
  }
  return session.request(iq, iqOptionsOf(options, [account.password])).then(ignoreResult, refusal);
}

/** The same registration after its asynchronous checks and hashing (`requestWithSecret`); a 0k chain's top is a secret. */
async function registerChecked(session: IqSession, account: NewAccount, options: RegisterOptions): Promise<void> {
  const { query, secret } = await requestWithSecret(session, account, options);
  const iq = xml("iq", { type: "set" }, query);
  await session.request(iq, iqOptionsOf(options, [account.password, secret])).then(ignoreResult, refusal);
}

/** The invite's token first (XEP-0445 `<preauth/>`), then the registration with it among the secrets. */
async function registerWithInvite(
  session: IqSession,
  account: NewAccount,
  options: RegisterOptions,
  given: Invite | string,
): Promise<void> {
  const { query, secret } = await requestWithSecret(session, account, options);
  const invite = inviteOf(given);
  checkInvite(session, invite, account.username);
  await sendInviteToken(session, invite, iqOptionsOf(options, undefined));
  const secrets = [account.password, invite.token, secret];
  await session.request(xml("iq", { type: "set" }, query), iqOptionsOf(options, secrets)).catch(refusal);
}

/** What the IQ path takes of the options: all but registration's own, and the request's secrets. */
function iqOptionsOf(options: RegisterOptions, secrets: IqOptions["secrets"]): IqOptions {
  const { inquiry, useForm, saslprep, invite, solveCaptcha, captchaAttempts, zeroKnowledge, ...iqOptions } = options;
  return { ...iqOptions, secrets };
}

function ignoreResult(): void {}

/** The server's refusal, typed: a throttle, an invite-only server. */
function refusal(err: unknown): never {
  throw asInviteRequired(asThrottle(err));
}

/**
 * Answer the inquiry's CAPTCHA and register; a refused answer fetches a fresh challenge (the old one is spent) and
 * tries again, `captchaAttempts` times in all, then `CaptchaFailedError`.
 */
async function registerWithCaptcha(session: IqSession, account: NewAccount, options: RegisterOptions): Promise<void> {
  const { solveCaptcha, captchaAttempts = DEFAULT_CAPTCHA_ATTEMPTS, ...rest } = options;
  let inquiry = options.inquiry;
  for (let attempt = 1; ; attempt++) {
    const captcha = inquiry?.captcha;
    if (!captcha || !solveCaptcha) return register(session, account, { ...rest, inquiry });
    const answer = await solveCaptcha(captcha);
    try {
      return await register(session, { ...account, [captcha.field]: answer }, { ...rest, inquiry, useForm: true });
    } catch (err) {
      if (!isCaptchaRefusal(err)) throw err;
      if (attempt >= captchaAttempts) throw new CaptchaFailedError(err, attempt);
      inquiry = await inquire(session, { timeout: rest.timeout, signal: rest.signal });
    }
  }
}

/**
 * The `<query/>` for `account`, after the checks that must pass before anything is sent (see `register`);
 * asynchronous because a zero-knowledge chain is hashed with Web Crypto.
 */
export async function registrationRequestFor(
  session: IqSession,
  account: NewAccount,
  options: RegisterOptions = {},
): Promise<Element> {
  return (await requestWithSecret(session, account, options)).query;
}

/** The `<query/>`, and the hash it carries instead of the password in a zero-knowledge registration. */
async function requestWithSecret(
  session: IqSession,
  account: NewAccount,
  options: RegisterOptions,
): Promise<{ query: Element; secret?: string }> {
  await fullCheck(account, options);
  if (!options.zeroKnowledge) return { query: plainQuery(session, account, options) };
  const chain = options.zeroKnowledge === true ? {} : options.zeroKnowledge;
  const { query, hash } = await zeroKnowledgeRequest(account, options.inquiry, chain);
  return { query, secret: hash };
}

/**
 * The checks every registration passes before anything is sent: the names given, then the password's preparation
 * where no tables are needed. False: SASLprep's tables must judge the password (`fullCheck`).
 */
function quickCheck(account: NewAccount, options: RegisterOptions): boolean {
  requireTextOptions("register", account, { required: ["username", "password"] });
  return passesWithoutTables(account.password, options.saslprep);
}

/** The same checks, with SASLprep's tables where the password needs them. */
async function fullCheck(account: NewAccount, options: RegisterOptions): Promise<void> {
  requireTextOptions("register", account, { required: ["username", "password"] });
  await checkPassword(account.password, options.saslprep);
}

/** A registration carrying the (checked) password, refused over an unencrypted remote connection. */
function plainQuery(session: IqSession, account: NewAccount, options: RegisterOptions): Element {
  assertConfidential(session, "a password");
  return registrationRequest(account, options.inquiry, options.useForm);
}

/**
 * The `<query xmlns='jabber:iq:register'/>` for `account`: legacy fields unless the inquiry offered only a form
 * (or `useForm` says so). Throws `OutOfBandRegistrationError` for web-only registration and `MissingFieldsError`
 * when the form requires more than was given (a CAPTCHA, say).
 */
export function registrationRequest(
  account: NewAccount,
  info: RegistrationInfo | undefined,
  useForm?: boolean,
): Element {
  if (info?.oobUrl && info.fields.length === 0 && !info.form) throw new OutOfBandRegistrationError(info.oobUrl);
  const formOnly = info?.form !== undefined && info.fields.length === 0;
  if (info?.form && (useForm ?? formOnly)) {
    const { form, missing } = fillForm(info.form, account);
    if (info.captcha && missing.includes(info.captcha.field)) throw new CaptchaRequiredError(info.captcha);
    if (missing.length > 0) throw new MissingFieldsError(missing, formTypeOf(info.form) === NS.captcha);
    return buildRegistrationFormRequest(form);
  }
  const { username, password, ...more } = account;
  // The book's order: username and password first; the inquiry's key goes back with them.
  return buildRegistrationRequest({ username, password, ...more, key: info?.key });
}
