// XEP-0158 challenges as ejabberd_captcha keeps them: a random id, the expected text, a lifetime, one answer each.
import { randomBytes } from "node:crypto";
import type { CaptchaOptions } from "./options.js";

/** One live challenge: its id (the form's `challenge` field) and the text its image "shows". */
export interface IssuedCaptcha {
  readonly challenge: string;
  readonly answer: string;
}

/** `server.captchas`: the live challenges (issued, not yet answered, not expired), for a test's solver to "read". */
export interface Captchas {
  /** How many challenges are live. */
  readonly size: number;
  /** The answer `challenge` expects, while it is live; undefined for an unknown, spent or expired one. */
  answerFor(challenge: string): string | undefined;
  /** The challenge issued last, while it is live. */
  last(): IssuedCaptcha | undefined;
}

/** The server's side: a challenge for each inquiry, spent by the attempt that answers it. */
export interface CaptchaBook extends Captchas {
  /** A new challenge's id. Throws when CAPTCHA mode is off. */
  issue(): string;
  /** `challenge` can no longer be answered, whatever the answer was; returns what it expected, if it was live. */
  spend(challenge: string): string | undefined;
}

/** What the book is made from. */
export interface CaptchaBookSettings {
  /** CAPTCHA mode on, with its settings; off: nothing is issued and nothing is known. */
  captcha: Required<Pick<CaptchaOptions, "answer" | "ttlMs">> | undefined;
  /** The server's clock, for the lifetimes. */
  now: () => number;
}

const CAPTCHA_OFF = "CAPTCHA mode is off: pass `captcha` to startServer";

/** The challenges of one server, in memory; expired ones are dropped whenever the book is looked at (no timer). */
export function createCaptchaBook({ captcha, now }: CaptchaBookSettings): CaptchaBook {
  const live = new Map<string, { answer: string; expires: number }>();
  let newest: string | undefined;
  const sweep = () => {
    const time = now();
    for (const [challenge, { expires }] of live) if (expires <= time) live.delete(challenge);
  };
  const answerFor = (challenge: string) => {
    sweep();
    return live.get(challenge)?.answer;
  };
  return {
    get size() {
      sweep();
      return live.size;
    },
    answerFor,
    last: () => {
      const answer = newest === undefined ? undefined : answerFor(newest);
      return newest === undefined || answer === undefined ? undefined : { challenge: newest, answer };
    },
    issue: () => {
      if (!captcha) throw new Error(CAPTCHA_OFF);
      sweep();
      const challenge = challengeId();
      const answer = captcha.answer(challenge);
      // An empty answer could never be sent back: a form field without a value is no answer.
      if (typeof answer !== "string" || answer === "") throw new Error("captcha.answer must return a non-empty string");
      live.set(challenge, { answer, expires: now() + captcha.ttlMs });
      newest = challenge;
      return challenge;
    },
    spend: (challenge) => {
      const answer = answerFor(challenge);
      live.delete(challenge);
      return answer;
    },
  };
}

/** `server.captchas` over a book: what tests may see, without issuing or spending anything. */
export function captchasOf(book: CaptchaBook): Captchas {
  return {
    get size() {
      return book.size;
    },
    answerFor: (challenge) => book.answerFor(challenge),
    last: () => book.last(),
  };
}

/** ejabberd's challenge ids are p1_rand:get_string(): a random unsigned integer in decimal. */
const challengeId = (): string => randomBytes(8).readBigUInt64BE().toString();
