// A node:http server on 127.0.0.1:0 for the fake Openfire plugins: records requests, can misbehave, closes hard.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** The request target exactly as sent (path and raw query). */
  target: string;
  headers: IncomingHttpHeaders;
  /** The raw body bytes as latin1, so the percent-encoding can be checked byte for byte. */
  body: string;
  remoteAddress: string;
}

export interface CannedReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

export interface FakeHttp {
  /** `http://127.0.0.1:PORT` */
  url: string;
  requests: RecordedRequest[];
  /** Answer the next request with this instead of the plugin's logic; `"hang"` never answers. */
  next(reply: CannedReply | "hang"): void;
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest) => CannedReply;

export async function startFakeHttp(handle: Handler): Promise<FakeHttp> {
  const requests: RecordedRequest[] = [];
  const overrides: (CannedReply | "hang")[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded: RecordedRequest = {
        method: req.method ?? "",
        target: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("latin1"),
        remoteAddress: req.socket.remoteAddress ?? "",
      };
      requests.push(recorded);
      const override = overrides.shift();
      if (override === "hang") return;
      reply(res, override ?? handle(recorded));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    next: (reply) => void overrides.push(reply),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function reply(res: ServerResponse, canned: CannedReply): void {
  const body = Buffer.from(canned.body ?? "", "utf8");
  res.writeHead(canned.status, { ...canned.headers, "content-length": String(body.length) });
  res.end(body);
}

/** What Jetty prints for a container error: HTML, never the plugin's entity. */
export const jettyError = (status: number, reason: string): CannedReply => ({
  status,
  headers: { "content-type": "text/html;charset=iso-8859-1" },
  body: `<html><head><title>Error ${status} ${reason}</title></head><body><h2>HTTP ERROR ${status} ${reason}</h2></body></html>`,
});

/** `application/x-www-form-urlencoded` and query strings, decoded strictly as UTF-8 (Jetty answers 400 otherwise). */
export function decodeForm(raw: string): [string, string][] | undefined {
  if (raw === "") return [];
  const pairs: [string, string][] = [];
  for (const part of raw.split("&")) {
    const eq = part.indexOf("=");
    const [name, value] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    try {
      pairs.push([decodeURIComponent(name.replace(/\+/g, " ")), decodeURIComponent(value.replace(/\+/g, " "))]);
    } catch {
      return undefined;
    }
  }
  return pairs;
}
