// Client-facing tokens: several at once (rotation), kept as SHA-256 digests, compared in constant time, each limited
// to actions and to a rate. A leaked token allows sign-ups that must still be verified by mail, nothing more.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { GatewayError } from "./gateway-error.js";

/** What the JSON API can be asked to do: the seed's two actions. */
export const GATEWAY_ACTIONS = ["create", "reset_pass"] as const;
export type GatewayAction = (typeof GATEWAY_ACTIONS)[number];

/** A rate limit: at most `count` requests per `windowSeconds`. */
export interface RateLimit {
  count: number;
  windowSeconds: number;
}

/** One client token as configured: never the token itself, only its digest (`hashClientToken`). */
export interface ClientTokenConfig {
  /** A name for logs and limits, e.g. `android-2026`. */
  id: string;
  /** The token's SHA-256, hex (64 characters). */
  sha256: string;
  /** What it may do (default: both actions). */
  actions?: readonly GatewayAction[];
  /** Its own rate limit, instead of the gateway's per-token default. */
  limit?: RateLimit;
}

/** A token that matched. */
export interface ClientToken {
  id: string;
  actions: readonly GatewayAction[];
  limit: RateLimit | undefined;
}

/** The hex SHA-256 of `token`, as `ClientTokenConfig.sha256` wants it. */
export function hashClientToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A new random client token (32 bytes, base64url) and its digest. */
export function newClientToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, sha256: hashClientToken(token) };
}

/** The matcher for a set of configured tokens. Throws `InvalidClientTokensError`-style TypeErrors on bad config. */
export function clientTokens(configs: readonly ClientTokenConfig[]): (token: unknown) => ClientToken {
  const known = configs.map(checkConfig);
  const ids = new Set(known.map((t) => t.id));
  if (ids.size !== known.length) throw new TypeError("clientTokens: two tokens share an id");
  return (token) => {
    if (typeof token !== "string" || token === "") {
      throw new GatewayError("unauthorized", "A client token is required", { field: "token" });
    }
    const digest = createHash("sha256").update(token, "utf8").digest();
    // Compare against every configured digest, so the time taken says nothing about which one matched.
    let match: (typeof known)[number] | undefined;
    for (const candidate of known) if (timingSafeEqual(candidate.digest, digest) && !match) match = candidate;
    if (!match) throw new GatewayError("unauthorized", "The client token is not valid", { field: "token" });
    return { id: match.id, actions: match.actions, limit: match.limit };
  };
}

function checkConfig(config: ClientTokenConfig) {
  if (!config.id || !/^[\w.-]{1,64}$/.test(config.id)) {
    throw new TypeError("clientTokens: each token needs an id of letters, digits, '.', '_' or '-' (at most 64)");
  }
  if (!/^[0-9a-f]{64}$/i.test(config.sha256 ?? "")) {
    throw new TypeError(`clientTokens: token "${config.id}" needs sha256, the token's hex SHA-256 (64 characters)`);
  }
  const actions = config.actions ?? GATEWAY_ACTIONS;
  for (const action of actions) {
    if (!GATEWAY_ACTIONS.includes(action)) {
      throw new TypeError(`clientTokens: token "${config.id}" names an unknown action (create or reset_pass)`);
    }
  }
  if (config.limit) checkRateLimit(config.limit, `token "${config.id}"`);
  return { id: config.id, digest: Buffer.from(config.sha256, "hex"), actions, limit: config.limit };
}

/** Throws a TypeError unless `limit` has a positive integer count and window. */
export function checkRateLimit(limit: RateLimit, what: string): void {
  const ok = (n: unknown) => Number.isInteger(n) && (n as number) > 0;
  if (!ok(limit.count) || !ok(limit.windowSeconds)) {
    throw new TypeError(`${what}: a rate limit needs a positive integer count and windowSeconds`);
  }
}
