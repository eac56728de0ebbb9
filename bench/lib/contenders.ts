// The contenders: what each one runs in its child process, and how it is labelled in the table.
import { fileURLToPath } from "node:url";
import { findTsung, TSUNG_INSTALL_HINT } from "../contenders/tsung-lib.js";
import type { ServerId } from "./servers.js";

export const CONTENDER_IDS = [
  "raw",
  "raw-one",
  "reguser-many",
  "reguser-many-flat",
  "reguser-many-ws",
  "slixmpp-one",
  "slixmpp-per-user",
  "xmppjs-per-user",
  "reguser-per-user",
  "tsung-per-user",
] as const;
export type ContenderId = (typeof CONTENDER_IDS)[number];

export interface Contender {
  id: ContenderId;
  label: string;
  /** One connection per account: capped at larger N (see BenchConfig.perUserCapSeconds). */
  perUser: boolean;
  runtime: "node" | "python";
  file: string;
  /** Extra job fields. */
  job?: Record<string, unknown>;
  /** Extra job fields that depend on the server (after `job`). */
  jobOn?: (server: ServerId) => Record<string, unknown>;
  /** Streams go over the server's WebSocket endpoint (RFC 7395): it is started with one, and the job gets its `url`. */
  webSocket?: boolean;
}

/**
 * New users per second for tsung-per-user on each server: where its median users/s peaked at N=1000
 * (bench/tsung-sweep.ts; the rates tried are in bench/README.md).
 */
export const TSUNG_ARRIVAL_RATES: Record<ServerId, number> = {
  "prosody-fast": 1000,
  ejabberd: 2000,
  prosody: 250,
  jabberd2: 200,
};

const here = (file: string) => fileURLToPath(new URL(`../contenders/${file}`, import.meta.url));

export const CONTENDERS: Record<ContenderId, Omit<Contender, "id">> = {
  raw: { label: "raw socket, all IQ-sets at once (the limit)", perUser: false, runtime: "node", file: here("raw.ts") },
  "raw-one": {
    label: "raw socket, one IQ-set at a time (the limit without pipelining)",
    perUser: false,
    runtime: "node",
    file: here("raw.ts"),
    job: { oneAtATime: true },
  },
  "reguser-many": {
    label: "reguser registerMany",
    perUser: false,
    runtime: "node",
    file: here("reguser-many.ts"),
  },
  "reguser-many-flat": {
    label: "reguser registerMany, keepOutcomes: false",
    perUser: false,
    runtime: "node",
    file: here("reguser-many.ts"),
    job: { keepOutcomes: false },
  },
  "reguser-many-ws": {
    label: "reguser registerMany over WebSocket (RFC 7395)",
    perUser: false,
    runtime: "node",
    file: here("reguser-many.ts"),
    webSocket: true,
  },
  "slixmpp-one": {
    label: "slixmpp xep_0077, one connection, 64 IQs in flight",
    perUser: false,
    runtime: "python",
    file: here("slixmpp_register.py"),
    // Its best mode: all 10,000 at once runs at ~300 users/s (each reply is matched against every waiting IQ).
    job: { mode: "one", window: 64 },
  },
  "slixmpp-per-user": {
    label: "slixmpp xep_0077, one connection per user",
    perUser: true,
    runtime: "python",
    file: here("slixmpp_register.py"),
    job: { mode: "per-user" },
  },
  "xmppjs-per-user": {
    label: "@xmpp/client loop (connect, register, disconnect)",
    perUser: true,
    runtime: "node",
    file: here("xmppjs-loop.ts"),
  },
  "reguser-per-user": {
    label: "reguser, one connection per user (the book's pattern)",
    perUser: true,
    runtime: "node",
    file: here("reguser-per-user.ts"),
  },
  "tsung-per-user": {
    label: "Tsung 1.7 jabber_register (connect, register, close per user)",
    perUser: true,
    runtime: "node",
    // A Node wrapper that runs /usr/bin/tsung and reads its logs; the figures are the Tsung VM's.
    file: here("tsung-per-user.ts"),
    jobOn: (server) => ({ arrivalRate: TSUNG_ARRIVAL_RATES[server] }),
  },
};

/** Why a contender cannot run on this machine (its tool is not installed), or undefined. */
export function missing(id: ContenderId, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (id === "tsung-per-user" && !findTsung(env)) return `not run: no tsung (${TSUNG_INSTALL_HINT})`;
  return undefined;
}

/** One cell of the matrix: a contender with its settings (registerMany's concurrency). */
export interface Variant {
  contender: Contender;
  /** registerMany only; undefined = the library default. */
  concurrency?: number;
  key: string;
  label: string;
}

export function variant(id: ContenderId, concurrency?: number): Variant {
  const contender = { id, ...CONTENDERS[id] };
  const suffix = concurrency === undefined ? (id.startsWith("reguser-many") ? " (default settings)" : "") : "";
  return {
    contender,
    ...(concurrency !== undefined ? { concurrency } : {}),
    key: concurrency === undefined ? id : `${id}@${concurrency}`,
    label: concurrency === undefined ? `${contender.label}${suffix}` : `${contender.label}, concurrency ${concurrency}`,
  };
}
