// RFC 6120 §8.2.3 IQ semantics: the one path every request takes (id, send, match, time out, clean up).
import { AbortError, LimitExceededError, ProtocolError, StanzaError, TimeoutError } from "@reguser/errors";
import type { Element } from "@xmpp/xml";
import { describeIq, type IqOptions } from "./iq-session.js";

interface Pending {
  resolve(el: Element): void;
  reject(err: Error): void;
  responders: readonly string[];
  secrets: readonly (string | undefined)[] | undefined;
  iq: Element;
  replay: IqOptions["replay"];
  check: IqOptions["check"];
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
 */
export class IqCaller {
  readonly #pending = new Map<string, Pending>();
  #recentSecrets: string[] = [];
  readonly #deps: IqCallerDeps;

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
    const server = ["", ...this.#deps.serverAddresses()];
    // A reply without `from` comes from the server (RFC 6120 §8.1.2.1): fine when we asked the server.
    const responders = to === undefined || server.includes(to) ? server : [to];
    const timeout = options.timeout ?? this.#deps.defaultTimeout;
    const what = describeIq(iq);

    return new Promise<Element>((resolve, reject) => {
      const timer = setTimeout(() => settle(() => reject(new TimeoutError(what, timeout))), timeout);
      const onAbort = () => settle(() => reject(new AbortError(signal?.reason)));
      const settle = (finish: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.#pending.delete(id);
        this.#remember(options.secrets);
        finish();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (el) => settle(() => resolve(el)),
        reject: (err) => settle(() => reject(err)),
        responders,
        secrets: options.secrets,
        iq,
        replay: options.replay,
        check: options.check,
      });
      try {
        this.#deps.send(iq);
      } catch (err) {
        this.#pending.get(id)?.reject(err as Error);
      }
    });
  }

  /** Takes an incoming result or error IQ; false when it answers nothing we asked (ignored). */
  handle(iq: Element): boolean {
    const type = iq.attrs.type;
    if (iq.name !== "iq" || (type !== "result" && type !== "error")) return false;
    const pending = this.#pending.get(String(iq.attrs.id));
    if (!pending) return false; // late, spoofed or never asked: dropped
    const from = iq.attrs.from === undefined ? "" : String(iq.attrs.from).toLowerCase();
    if (!pending.responders.includes(from)) return false;
    if (type === "result") {
      try {
        pending.check?.(iq);
      } catch (err) {
        pending.reject(err as Error);
        return true;
      }
      pending.resolve(iq);
    } else {
      pending.reject(StanzaError.fromElement(iq, { secrets: pending.secrets }));
    }
    return true;
  }

  /** The secrets of waiting and recently settled requests: to scrub from anything the server sends. */
  secrets(): string[] {
    const all = new Set(this.#recentSecrets);
    for (const p of this.#pending.values()) for (const s of p.secrets ?? []) if (s) all.add(s);
    return [...all];
  }

  #remember(secrets: IqOptions["secrets"]): void {
    const given = (secrets ?? []).filter((s): s is string => Boolean(s));
    if (given.length > 0) this.#recentSecrets = [...given, ...this.#recentSecrets].slice(0, RECENT_SECRETS);
  }

  /** Whether every waiting request may be sent again on a reopened stream. */
  allReplayable(): boolean {
    return [...this.#pending.values()].every((p) => p.iq.attrs.type === "get" || (p.replay ?? false) !== false);
  }

  /** After the stream was reopened in place: send every waiting request again, same id. */
  resendAll(): void {
    for (const pending of [...this.#pending.values()]) {
      try {
        const iq = typeof pending.replay === "function" ? pending.replay() : pending.iq;
        iq.attrs.id = pending.iq.attrs.id;
        this.#deps.send(iq);
      } catch (err) {
        pending.reject(err as Error);
      }
    }
  }

  /** The stream ended: every waiting request fails with the same error. */
  rejectAll(err: Error): void {
    for (const pending of [...this.#pending.values()]) pending.reject(err);
  }
}
