// One Server-Sent Events connection: frames written as the socket takes them, a bounded queue while it does not,
// heartbeat comments so proxies keep the stream open. A reader too slow for the queue loses the oldest events and
// is told how many, in a `bridge.dropped` event, once it catches up: memory stays bounded whatever the reader does.
import type { ServerResponse } from "node:http";
import { type BridgeEvent, frame } from "./bridge-event.js";

/** Limits of one event stream. */
export interface EventStreamLimits {
  /** Most frames waiting for a slow reader (default 256). */
  maxQueued: number;
  /** ms between heartbeat comments (default 15 000). */
  heartbeatMs: number;
}

/** An open SSE response. */
export interface EventStream {
  /** Send `event`, now or once the socket drains. */
  send(event: BridgeEvent): void;
  /** End the stream (the page's EventSource sees it close). */
  close(): void;
  readonly closed: boolean;
  /** Frames waiting now. */
  readonly queued: number;
}

/** Start the SSE response on `response`; `onClose` runs once when it ends, from either side. */
export function openEventStream(response: ServerResponse, limits: EventStreamLimits, onClose: () => void): EventStream {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-accel-buffering": "no",
    "x-content-type-options": "nosniff",
  });
  // Tell EventSource to wait 3 s before it reconnects; the comment flushes the headers through proxies.
  response.write("retry: 3000\n: connected\n\n");
  const queue: string[] = [];
  let dropped = 0;
  let waiting = false;
  let closed = false;

  const write = (text: string) => {
    if (closed) return;
    if (waiting) {
      if (queue.length >= limits.maxQueued) {
        queue.shift();
        dropped++;
      }
      queue.push(text);
      return;
    }
    if (!response.write(text)) waiting = true;
  };
  const drain = () => {
    waiting = false;
    if (dropped > 0) {
      const lost = dropped;
      dropped = 0;
      queue.unshift(frame({ name: "bridge.dropped", data: { dropped: lost } }));
    }
    while (queue.length > 0 && !waiting) write(queue.shift() as string);
  };
  // Only while nothing waits: a queued comment would take an event's place and be counted in bridge.dropped.
  const heartbeat = setInterval(() => {
    if (!waiting) write(": heartbeat\n\n");
  }, limits.heartbeatMs);
  heartbeat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    queue.length = 0;
    response.off("drain", drain);
    onClose();
  };
  response.on("drain", drain);
  response.once("close", finish);

  return {
    send: (event) => write(frame(event)),
    close() {
      if (closed) return;
      response.end();
      finish();
    },
    get closed() {
      return closed;
    },
    get queued() {
      return queue.length;
    },
  };
}
