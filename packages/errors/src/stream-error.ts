// RFC 6120 §4.9 stream errors: fatal, the stream closes after one.
import xml, { type Element } from "@xmpp/xml";
import { STREAMS_NS } from "./namespaces.js";
import { redactElement, scrubText } from "./redact.js";
import { normalizeStreamCondition, type StreamCondition } from "./stream-conditions.js";
import { textHint } from "./text-hints.js";
import { XmppError } from "./xmpp-error.js";

export interface StreamErrorInit {
  condition: StreamCondition | (string & {});
  text?: string | undefined;
  element?: Element | undefined;
  /** The host named by a `see-other-host` error. */
  seeOtherHost?: string | undefined;
  /** What to change, appended to the message; `fromElement` adds the known ones (`STREAM_ERROR_HINTS`). */
  hint?: string | undefined;
}

/** The fixes known for a stream error the client caused. */
export const STREAM_ERROR_HINTS: Readonly<Partial<Record<StreamCondition, string>>> = {
  "host-unknown":
    "the `domain` option (CLI: --domain) must be the server's XMPP domain, which may differ from the host; it defaults to `host`",
  "connection-timeout":
    "the server closes a stream that has not authenticated within its limit (Prosody's `c2s_timeout`, 300 s as shipped): open a fresh stream for more work (registerMany does so itself), or raise the limit",
};

/** A `<stream:error/>` (RFC 6120 §4.9): fatal, the server closes the stream after it. */
export class StreamError extends XmppError {
  override name = "StreamError";
  readonly condition: string;
  readonly text: string | undefined;
  readonly element: Element | undefined;
  readonly seeOtherHost: string | undefined;

  constructor(init: StreamErrorInit) {
    const where = init.seeOtherHost ? ` (go to ${init.seeOtherHost})` : "";
    super(`Stream error: ${init.condition}${init.text ? ` – ${init.text}` : ""}${where}`, { hint: init.hint });
    this.condition = init.condition;
    this.text = init.text;
    this.element = init.element && redactElement(init.element);
    this.seeOtherHost = init.seeOtherHost;
  }

  /** Read a `<stream:error/>` element. */
  static fromElement(el: Element, secrets: readonly (string | undefined)[] = []): StreamError {
    const children = el.getChildElements().filter((c) => c.attrs.xmlns === STREAMS_NS);
    const conditionEl = children.find((c) => c.name !== "text");
    const condition = conditionEl ? normalizeStreamCondition(conditionEl.name) : "undefined-condition";
    const raw = children.find((c) => c.name === "text")?.getText();
    // A server may quote what it refuses (the password): the message must not.
    const text = raw ? scrubText(raw, secrets) : undefined;
    const seeOtherHost = condition === "see-other-host" ? conditionEl?.getText() || undefined : undefined;
    const hint = STREAM_ERROR_HINTS[condition as StreamCondition] ?? textHint(condition, text);
    return new StreamError({ condition, text, element: redactElement(el, secrets), seeOtherHost, hint });
  }

  /** The `<stream:error/>` element for this error (servers raise what clients catch). */
  toElement(): Element {
    const el = xml("stream:error", {}, xml(this.condition, { xmlns: STREAMS_NS }, this.seeOtherHost ?? ""));
    if (this.text) el.c("text", { xmlns: STREAMS_NS }).t(this.text);
    return el;
  }
}
