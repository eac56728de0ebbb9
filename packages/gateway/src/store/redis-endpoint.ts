// What may be said about a Redis URL: its host:port for messages, and the password to scrub from any text.
import { InvalidOptionError } from "@reguser/errors";

export interface RedisEndpoint {
  /** `host:port`, for messages; never the credentials. */
  where: string;
  /** Removes the URL's password (as written and decoded) from text: driver messages must not carry it on. */
  scrub(text: string): string;
}

/** Reads a `redis://` or `rediss://` URL; the error for anything else names neither the URL nor its password. */
export function redisEndpoint(url: string): RedisEndpoint {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // URL's own error carries the input, password and all: not passed on as the cause.
  }
  if (!parsed || (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")) {
    throw new InvalidOptionError("redisStore", "url", "something else", "a redis:// or rediss:// URL");
  }
  const where = `${parsed.hostname || "localhost"}:${parsed.port || "6379"}`;
  const secrets = new Set([parsed.password, safeDecode(parsed.password)].filter((s) => s.length > 0));
  return {
    where,
    scrub: (text) => [...secrets].reduce((t, secret) => t.replaceAll(secret, "[redacted]"), text),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
