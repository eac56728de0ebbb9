// `reguser doctor`: connect as a client would, look at what registration meets, and say what to change.
import { isLoopback } from "@reguser/iq";
import {
  authMethods,
  inquire,
  isRegistrationClosed,
  type OpenStreamOptions,
  openStream,
  PolicyViolationError,
  type RegistrationInfo,
  StanzaError,
  type XmppStream,
} from "reguser";
import { adviceFor, type Problem } from "./advice.js";
import type { Check, Diagnosis, Software } from "./check.js";
import { probeRegistration } from "./probe.js";
import { softwareOf } from "./software.js";

/** What `diagnose` may do beyond looking. */
export interface DiagnoseOptions {
  /** Register two throwaway accounts (and remove them) to see a throttle. */
  probe: boolean;
}

/** Look at the server `target` names, check by check; a connection that fails is a check too. */
export async function diagnose(target: OpenStreamOptions, options: DiagnoseOptions): Promise<Diagnosis> {
  const checks: Check[] = [];
  let stream: XmppStream;
  try {
    stream = await openStream(target);
  } catch (err) {
    checks.push(connectionFailure(err));
    return { software: undefined, checks };
  }
  try {
    let software = await softwareOf(target);
    const advise = (problem: Problem) => adviceFor(problem, software?.kind);
    checks.push({ name: "connection", status: "ok", saw: `connected to ${target.host}, domain ${stream.domain}` });
    checks.push(tlsCheck(stream, target));
    checks.push(featureCheck(stream));
    const { inquiry, refusal } = await askInquiry(stream);
    // Servers that answer neither XEP-0092 nor disco before a login still give themselves away in their words.
    software ??= softwareFromWords(inquiry);
    checks.push(...(inquiry ? registrationChecks(stream, inquiry, advise) : [refusalCheck(refusal, advise)]));
    checks.push(await loginCheck(stream, advise));
    if (options.probe && inquiry) checks.push(...(await probeRegistration(target, inquiry, advise)));
    return { software, checks };
  } finally {
    await stream.close().catch(() => undefined);
  }
}

/** The failure's own hint says what to change (an untrusted certificate, a server with none to offer…). */
function connectionFailure(err: unknown): Check {
  const error = err as Error & { hint?: string };
  return { name: "connection", status: "block", saw: error.message, change: error.hint };
}

function tlsCheck(stream: XmppStream, target: OpenStreamOptions): Check {
  const offered = stream.features.starttls !== undefined || target.tls === "direct";
  if (stream.secure) {
    const how = target.tls === "direct" ? "direct TLS" : "STARTTLS";
    return {
      name: "tls",
      status: "ok",
      saw: `${how}, certificate trusted (verified against ${target.ca ? "--ca" : "the system's CAs"})`,
    };
  }
  if (target.tls === "none" && offered) {
    return { name: "tls", status: "warn", saw: "STARTTLS offered but not used (--tls none)", change: "use --tls auto" };
  }
  // The library's own rule for plaintext passwords (`allowInsecure` aside).
  if (isLoopback(stream.remoteAddress)) {
    return { name: "tls", status: "ok", saw: "no TLS offered; on loopback, plaintext passwords are allowed" };
  }
  return {
    name: "tls",
    status: "warn",
    saw: "no TLS offered: passwords would cross in the clear",
    change: "give the server a certificate; reguser refuses plaintext passwords to non-loopback hosts (--insecure)",
  };
}

function featureCheck(stream: XmppStream): Check {
  const { register, invites } = stream.features;
  const extra = invites ? "; invite tokens taken (XEP-0445)" : "";
  if (register) return { name: "register feature", status: "ok", saw: `advertised${extra}` };
  const legacy = stream.header.version === undefined;
  return {
    name: "register feature",
    status: "warn",
    saw: legacy ? "a legacy stream: no features to advertise it" : `not advertised${extra}`,
    change: stream.secure ? undefined : "servers hide it on an unencrypted stream when they require encryption",
  };
}

/** The inquiry's answer, or the server's refusal of it. */
async function askInquiry(stream: XmppStream): Promise<{ inquiry?: RegistrationInfo; refusal?: StanzaError }> {
  try {
    return { inquiry: await inquire(stream) };
  } catch (err) {
    if (err instanceof StanzaError) return { refusal: err };
    throw err;
  }
}

/** A refused inquiry: registration off here, or encryption required. */
function refusalCheck(err: StanzaError | undefined, advise: (problem: Problem) => string): Check {
  const problem: Problem = err instanceof PolicyViolationError ? "encryption" : "closed";
  const blocks = problem === "encryption" || isRegistrationClosed(err);
  return {
    name: "inquiry",
    status: blocks ? "block" : "warn",
    saw: `refused: ${err?.text ?? err?.condition} (${err?.code ?? err?.condition})`,
    change: blocks ? advise(problem) : undefined,
  };
}

/** What the inquiry showed a registration must meet: fields, a form, web registration, a CAPTCHA, invites. */
function registrationChecks(stream: XmppStream, info: RegistrationInfo, advise: (problem: Problem) => string): Check[] {
  const checks: Check[] = [];
  const fields = info.fields.length > 0 ? info.fields.join(" ") : "none (a form)";
  const visible = info.form?.fields.filter((f) => f.var && f.type !== "hidden").length;
  const form = info.form ? `, a data form (${visible} fields)` : "";
  const zeroKnowledge = info.zeroKnowledge ? ", 0k registration" : "";
  checks.push({ name: "inquiry", status: "ok", saw: `fields: ${fields}${form}${zeroKnowledge}` });
  if (info.oobUrl && info.fields.length === 0 && !info.form) {
    checks.push({
      name: "web registration",
      status: "block",
      saw: `register on ${info.oobUrl}`,
      change: advise("closed"),
    });
  }
  if (info.captcha) {
    const image = info.captcha.media ? `${info.captcha.media.type} image` : "no image";
    const page = info.captcha.url ? `, fallback page ${info.captcha.url}` : "";
    checks.push({
      name: "captcha",
      status: "warn",
      saw: `a CAPTCHA in the ${info.captcha.field} field (${image}${page}): a person must answer it`,
      change: advise("captcha"),
    });
  }
  if (stream.features.invites) {
    checks.push({
      name: "invites",
      status: "warn",
      saw: "the server takes invite tokens; it may register only with one (--probe tells)",
      change: advise("invite-only"),
    });
  }
  return checks;
}

/** The server, from its inquiry's instructions when it named itself nowhere else. */
function softwareFromWords(info: RegistrationInfo | undefined): Software | undefined {
  const words = info?.instructions ?? "";
  if (/to register with this server|supports x:data and CAPTCHA/i.test(words)) {
    return { kind: "ejabberd", label: "ejabberd (by its inquiry's words)" };
  }
  if (/for use with this service/i.test(words)) return { kind: "prosody", label: "Prosody (by its inquiry's words)" };
  return undefined;
}

/** jabber:iq:auth methods and SASL mechanisms, and what a hashed password store means for them. */
async function loginCheck(stream: XmppStream, advise: (problem: Problem) => string): Promise<Check> {
  const sasl = stream.features.mechanisms.length > 0 ? `SASL ${stream.features.mechanisms.join(" ")}` : "no SASL";
  try {
    const methods = await authMethods(stream, "reguser-doctor");
    const offered = [methods.plain && "plain", methods.digest && "digest", methods.zeroKnowledge && "0k"].filter(
      Boolean,
    );
    const iqAuth = `jabber:iq:auth ${offered.join(" ") || "nothing"}`;
    const hashed = methods.plain && !methods.digest;
    return {
      name: "logins",
      status: "ok",
      saw: `${iqAuth}; ${sasl}`,
      change: hashed ? advise("hashed") : undefined,
    };
  } catch (err) {
    if (!(err instanceof StanzaError)) throw err;
    return { name: "logins", status: "ok", saw: `no jabber:iq:auth (${err.condition}); ${sasl}` };
  }
}

export type { Software };
