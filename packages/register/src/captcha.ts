// XEP-0158 a CAPTCHA on the registration form (docs/shipped.md#captcha): who answers it, and the typed refusals.
import { NotAllowedError, restatedRefusal, StanzaError, XmppError } from "@reguser/errors";
import type { Captcha } from "@reguser/protocol";

/** Answers a CAPTCHA: shows `captcha.media` (or `captcha.url`) to a person, or asks a test fixture, and returns the text. */
export type CaptchaSolver = (captcha: Captcha) => string | Promise<string>;

/** Tries of a CAPTCHA by default: a wrong answer costs the challenge, and each new try fetches a fresh one. */
export const DEFAULT_CAPTCHA_ATTEMPTS = 3;

/** The registration form carries a CAPTCHA and nobody was given to answer it. Nothing was sent. */
export class CaptchaRequiredError extends XmppError {
  override name = "CaptchaRequiredError";
  /** The CAPTCHA: its answer field, the image, the fallback page. */
  readonly captcha: Captcha;
  /** The form field that takes the answer. */
  readonly fields: readonly string[];
  /** The inquiry's CAPTCHA, unanswered. */
  constructor(captcha: Captcha) {
    const page = captcha.url ? `, or register on ${captcha.url}` : "";
    super(`The server asks for a CAPTCHA (the ${captcha.field} field)`, {
      hint: `pass \`solveCaptcha\` to register() (the CLI prompts for the answer and writes the image with --captcha-out FILE)${page}`,
    });
    this.captcha = captcha;
    this.fields = [captcha.field];
  }
}

/** Every try of the CAPTCHA was refused (`not-allowed` "The CAPTCHA verification has failed"). */
export class CaptchaFailedError extends StanzaError {
  override name = "CaptchaFailedError";
  /** How many challenges were answered. */
  readonly attempts: number;
  /** The server's refusal of the last answer, and how many were tried. */
  constructor(refusal: StanzaError, attempts: number) {
    const hint = `${attempts} answer${attempts === 1 ? " was" : "s were"} refused; each try had a fresh challenge`;
    super(restatedRefusal(refusal, hint));
    this.attempts = attempts;
  }
}

/** Whether `err` is the server's refusal of a CAPTCHA answer (ejabberd: `not-allowed`). */
export function isCaptchaRefusal(err: unknown): err is StanzaError {
  return err instanceof NotAllowedError;
}
