// RFC 6120 §8.2.3 IQ semantics: the one path every request takes (id, send, match, time out, clean up).
import { AbortError, LimitExceededError, ProtocolError, StanzaError, TimeoutError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { describeIq, type IqOptions } from "./iq-session.js";

interface Pending {
  id: string;
  /** The request's promise, settled once through `#settle`. */
  resolve(el: Element): void;
  reject(err: Error): void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** The IQ's `to`, lower-cased; `undefined` when it went to the server. */
  to: string | undefined;
  secrets: readonly (string | undefined)[] | undefined;
  iq: Element;
  replay: IqOptions["replay"];
  check: IqOptions["check"];
  /** `performance.now()` after which the request has timed out. */
  deadline: number;
  timeout: number;
}

/** What the IQ path needs of its transport: a way to send, ids, its limits. */
export interface IqCallerDeps {
  /** Write one stanza (throws when the transport is closed). */
  send(el: Element): void;
  /** A fresh id for a request that has none. */
  nextId(): string;
  /** Milliseconds a request waits unless its options say otherwise. */
  defaultTimeout: number;
  /** Most requests waiting at once; one more is refused with `LimitExceededError`. */
  maxPending: number;
  /** Who may answer an IQ sent without `to`: the server, as the peer of this stream. */
  serverAddresses(): readonly string[];
}

/** How many settled requests' secrets are still scrubbed from what arrives (late replies quote them too). */
const RECENT_SECRETS = 32;

/**
 * The requests waiting for a reply on one transport: each gets an id, is matched by id *and* responder, times out
 * or aborts, and always leaves its pending entry; an error reply becomes a typed `StanzaError` with the request's
 * secrets scrubbed. Nothing else listens for replies.
 *
 * One timer serves every request (armed for the earliest deadline, then swept), not one timer each: a bulk run keeps
 * many requests in flight, and a timer per request cost more than the request's own work.
 */
export class IqCaller {
  readonly #pending = new Map<string, Pending>();
  /** A ring of the last RECENT_SECRETS secrets of settled requests. */
  readonly #recentSecrets: string[] = [];
  #recentNext = 0;
  readonly #deps: IqCallerDeps;
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;
  #sweepAt = Number.POSITIVE_INFINITY;

  constructor(deps: IqCallerDeps) {
    this.#deps = deps;
  }

  /** Requests waiting for a reply. */
  get size(): number {
    return this.#pending.size;
  }

  /** Send `iq` (an id is added when it has none) and resolve with its result. */
  request(iq: Element, options: IqOptions = {}): Promise<Element> {
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    if (this.#pending.size >= this.#deps.maxPending) {
      return Promise.reject(new LimitExceededError("pending IQs", this.#pending.size + 1, this.#deps.maxPending));
    }
    const id = iq.attrs.id === undefined ? this.#deps.nextId() : String(iq.attrs.id);
    iq.attrs.id = id;
    if (this.#pending.has(id)) return Promise.reject(new ProtocolError(`IQ id '${id}' is already in use`));
    const to = iq.attrs.to === undefined ? undefined : String(iq.attrs.to).toLowerCase();
    const timeout = options.timeout ?? this.#deps.defaultTimeout;
    const deadline = performance.now() + timeout;

    return new Promise<Element>((resolve, reject) => {
      const pending: Pending = {
        id,
        resolve,
        reject,
        signal,
        onAbort: undefined,
        to,
        secrets: options.secrets,
        iq,
        replay: options.replay,
        check: options.check,
        deadline,
        timeout,
      };
      if (signal) {
        pending.onAbort = () => this.#settle(pending, new AbortError(signal.reason));
        signal.addEventListener("abort", pending.onAbort, { once: true });
      }
      this.#pending.set(id, pending);
      if (deadline < this.#sweepAt) this.#arm(deadline);
      try {
        this.#deps.send(iq);
      } catch (err) {
        this.#settle(pending, err as Error, true);
      }
    });
  }

  /** Settle `pending` with a result or an error, once: its entry, abort listener and sweep go first. */
  #settle(pending: Pending, outcome: Element | Error, failed = outcome instanceof Error): void {
    if (this.#pending.get(pending.id) !== pending) return;
    this.#pending.delete(pending.id);
    if (this.#pending.size === 0) this.#disarm();
    if (pending.onAbort) pending.signal?.removeEventListener("abort", pending.onAbort);
    this.#remember(pending.secrets);
    if (failed) pending.reject(outcome as Error);
    else pending.resolve(outcome as Element);
  }

  /** Takes an incoming result or error IQ; false when it answers nothing we asked (ignored). */
  handle(iq: Element): boolean {
    const type = iq.attrs.type;
    if (iq.name !== "iq" || (type !== "result" && type !== "error")) return false;
    const pending = this.#pending.get(String(iq.attrs.id));
    if (!pending) return false; // late, spoofed or never asked: dropped
    const from = iq.attrs.from === undefined ? "" : String(iq.attrs.from).toLowerCase();
    if (!this.#mayAnswer(pending.to, from)) return false;
    if (type === "result") {
      try {
        pending.check?.(iq);
      } catch (err) {
        this.#settle(pending, err as Error, true);
        return true;
      }
      this.#settle(pending, iq, false);
    } else {
      this.#settle(pending, StanzaError.fromElement(iq, { secrets: pending.secrets }));
    }
    return true;
  }

  /** The secrets of waiting and recently settled requests: to scrub from anything the server sends. */
  secrets(): string[] {
    const all = new Set(this.#recentSecrets);
    for (const p of this.#pending.values()) for (const s of p.secrets ?? []) if (s) all.add(s);
    return [...all];
  }

  /**
   * Whether `from` may answer a request sent to `to`: its addressee, or the server (a reply without `from` comes
   * from the server, RFC 6120 §8.1.2.1) when the request went to the server.
   */
  #mayAnswer(to: string | undefined, from: string): boolean {
    if (to !== undefined && from === to) return true;
    if (to === undefined && from === "") return true;
    const server = this.#deps.serverAddresses();
    return (to === undefined || server.includes(to)) && (from === "" || server.includes(from));
  }

  #remember(secrets: IqOptions["secrets"]): void {
    if (!secrets) return;
    for (const secret of secrets) {
      if (!secret) continue;
      this.#recentSecrets[this.#recentNext] = secret;
      this.#recentNext = (this.#recentNext + 1) % RECENT_SECRETS;
    }
  }

  /** The sweep runs at `deadline` (or earlier, if armed for an earlier one already). */
  #arm(deadline: number): void {
    clearTimeout(this.#sweepTimer);
    this.#sweepAt = deadline;
    this.#sweepTimer = setTimeout(() => this.#sweep(), Math.max(0, deadline - performance.now()));
  }

  #disarm(): void {
    clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    this.#sweepAt = Number.POSITIVE_INFINITY;
  }

  /** Time out every request past its deadline, then arm for the earliest one left. */
  #sweep(): void {
    this.#sweepTimer = undefined;
    this.#sweepAt = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const pending of [...this.#pending.values()]) {
      if (pending.deadline <= now) this.#settle(pending, new TimeoutError(describeIq(pending.iq), pending.timeout));
      else next = Math.min(next, pending.deadline);
    }
    if (next < this.#sweepAt && this.#pending.size > 0) this.#arm(next);
  }

  /** Whether every waiting request may be sent again on a reopened stream. */
  allReplayable(): boolean {
    return [...this.#pending.values()].every((p) => p.iq.attrs.type === "get" || (p.replay ?? false) !== false);
  }

  /** After the stream was reopened in place: send every waiting request again, same id. */
  resendAll(): void {
    for (const pending of [...this.#pending.values()]) {
      const id = pending.iq.attrs.id;
      // A rebuilt request may take a moment (a digest is hashed with Web Crypto): it goes out unless settled meanwhile.
      const send = (iq: Element) => {
        if (this.#pending.get(id) !== pending) return;
        iq.attrs.id = id;
        this.#deps.send(iq);
      };
      try {
        const iq = typeof pending.replay === "function" ? pending.replay() : pending.iq;
        if (iq instanceof Promise) iq.then(send).catch((err: Error) => this.#settle(pending, err, true));
        else send(iq);
      } catch (err) {
        this.#settle(pending, err as Error, true);
      }
    }
  }

  /** The stream ended: every waiting request fails with the same error. */
  rejectAll(err: Error): void {
    for (const pending of [...this.#pending.values()]) this.#settle(pending, err);
  }
}
