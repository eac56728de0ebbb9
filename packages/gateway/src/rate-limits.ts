// Rate limits per client token, per IP, per username and per e-mail address: fixed windows counted in the store,
// so several gateway instances share them. Over a limit is a 429 with Retry-After.
import { checkRateLimit, type RateLimit } from "./client-tokens.js";
import { GatewayError } from "./gateway-error.js";
import type { GatewayStore } from "./store/gateway-store.js";

/** The gateway's limits; each may be `false` to turn it off. */
export interface RateLimits {
  /** Per client token (a token's own `limit` wins). Default 600 per hour. */
  perToken?: RateLimit | false;
  /** Per client IP address. Default 30 per hour. */
  perIp?: RateLimit | false;
  /** Per username asked for. Default 5 per hour. */
  perUsername?: RateLimit | false;
  /** Per e-mail address mailed. Default 5 per hour. */
  perEmail?: RateLimit | false;
}

export const DEFAULT_RATE_LIMITS: Required<RateLimits> = {
  perToken: { count: 600, windowSeconds: 3600 },
  perIp: { count: 30, windowSeconds: 3600 },
  perUsername: { count: 5, windowSeconds: 3600 },
  perEmail: { count: 5, windowSeconds: 3600 },
};

export type LimitKind = keyof RateLimits;

/** The limits with defaults filled in, checked. */
export function resolveRateLimits(limits: RateLimits = {}): Required<RateLimits> {
  const resolved = { ...DEFAULT_RATE_LIMITS, ...limits };
  for (const [kind, limit] of Object.entries(resolved)) if (limit) checkRateLimit(limit, `limits.${kind}`);
  return resolved;
}

/** One hit on each of `keys`; throws a `rate_limited` GatewayError for the first that is over its limit. */
export async function countHits(
  store: GatewayStore,
  hits: ReadonlyArray<{ kind: LimitKind; key: string; limit: RateLimit | false }>,
  now: number,
): Promise<void> {
  for (const { kind, key, limit } of hits) {
    if (!limit) continue;
    const window = await store.hit(`${kind}:${key}`, limit.windowSeconds * 1000, now);
    if (window.count > limit.count) {
      const retryAfter = Math.max(1, Math.ceil((window.resetAt - now) / 1000));
      throw new GatewayError("rate_limited", `Too many requests ${LIMIT_WORDS[kind]}: try again later`, {
        retryAfter,
      });
    }
  }
}

const LIMIT_WORDS: Record<LimitKind, string> = {
  perToken: "for this client token",
  perIp: "from this address",
  perUsername: "for this username",
  perEmail: "for this e-mail address",
};
