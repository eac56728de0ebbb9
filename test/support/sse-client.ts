// A Server-Sent Events reader for the suites: fetch's body read as the EventSource spec parses it (event, data,
// comments), with `next(name)` to wait for an event. The bridge's streams are tested as a page reads them.
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseClient {
  readonly status: number;
  readonly headers: Headers;
  readonly events: readonly SseEvent[];
  /** Comment lines seen (`: heartbeat`…). */
  readonly comments: readonly string[];
  /** The next event named `name` not returned before, parsed from JSON (waits up to `timeout` ms). */
  next<T = unknown>(name: string, timeout?: number): Promise<T>;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
  close(): void;
}

export async function openSse(url: string): Promise<SseClient> {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal, headers: { accept: "text/event-stream" } });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const taken = new Set<SseEvent>();
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  let done = false;
  const ended = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    let buffer = "";
    let event = "message";
    let data: string[] = [];
    try {
      for await (const chunk of response.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline = buffer.indexOf("\n");
        while (newline >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, "");
          buffer = buffer.slice(newline + 1);
          if (line === "") {
            if (data.length > 0) events.push({ event, data: data.join("\n") });
            event = "message";
            data = [];
            wake();
          } else if (line.startsWith(":")) comments.push(line.slice(1).trim());
          else if (line.startsWith("event:")) event = line.slice(6).trim();
          else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
          newline = buffer.indexOf("\n");
        }
      }
    } catch {
      // Aborted by close(), or the connection dropped: the stream has ended either way.
    } finally {
      done = true;
      wake();
    }
  })();
  return {
    status: response.status,
    headers: response.headers,
    events,
    comments,
    ended,
    async next(name, timeout = 20_000) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const found = events.find((e) => e.event === name && !taken.has(e));
        if (found) {
          taken.add(found);
          return JSON.parse(found.data);
        }
        const left = deadline - Date.now();
        if (done) throw new Error(`the stream ended before a ${name} event`);
        if (left <= 0) throw new Error(`no ${name} event within ${timeout} ms`);
        await new Promise<void>((resolve) => {
          const w = () => {
            clearTimeout(timer);
            waiters.delete(w);
            resolve();
          };
          const timer = setTimeout(w, left);
          waiters.add(w);
        });
      }
    },
    close: () => abort.abort(),
  };
}
