// readBody against a real node:http server on 127.0.0.1, fed by raw sockets so each client misbehaves exactly.
import http from "node:http";
import type { AddressInfo } from "node:net";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BodyError, type ReadBodyOptions, readBody } from "../src/index.js";

interface Outcome {
  body?: string;
  error?: BodyError;
}

let server: http.Server;
let port: number;
/** What the server's readBody ended in, per request, in order. */
const outcomes: Array<(outcome: Outcome) => void> = [];
let options: ReadBodyOptions = { maxBytes: 64, timeout: 2_000 };

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const settle = outcomes.shift();
    readBody(request, options).then(
      (body) => {
        settle?.({ body });
        response.end("ok");
      },
      (error: BodyError) => {
        settle?.({ error });
        response.writeHead(error.status, { connection: "close" }).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Sends `head` then each of `parts` (a number pauses that many ms), and resolves with what readBody ended in. */
async function send(head: string, parts: Array<string | Buffer | number> = [], end = false): Promise<Outcome> {
  const outcome = new Promise<Outcome>((resolve) => outcomes.push(resolve));
  const socket = net.connect(port, "127.0.0.1");
  socket.on("error", () => {});
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.write(head);
  for (const part of parts) {
    if (typeof part === "number") await new Promise((resolve) => setTimeout(resolve, part));
    else socket.write(part);
  }
  if (end) socket.destroy();
  const result = await outcome;
  socket.destroy();
  return result;
}

const post = (headers: Record<string, string | number>) =>
  `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("")}\r\n`;

describe("readBody", () => {
  it("reads a body in pieces as UTF-8, characters split across them included", async () => {
    options = { maxBytes: 64, timeout: 2_000 };
    const bytes = Buffer.from('{"name":"Jürgen 𝄞"}');
    const result = await send(post({ "content-length": bytes.length }), [
      bytes.subarray(0, 12),
      20,
      bytes.subarray(12),
    ]);
    expect(result).toEqual({ body: '{"name":"Jürgen 𝄞"}' });
  });

  it("takes a chunked body without a Content-Length", async () => {
    options = { maxBytes: 64, timeout: 2_000 };
    const result = await send(post({ "transfer-encoding": "chunked" }), ["5\r\nhello\r\n", "6\r\n world\r\n0\r\n\r\n"]);
    expect(result).toEqual({ body: "hello world" });
  });

  it("refuses another media type, reading nothing", async () => {
    options = { maxBytes: 64, timeout: 2_000, mediaType: "application/json" };
    const refused = await send(post({ "content-type": "text/plain", "content-length": 2 }), ["{}"]);
    expect(refused.error).toBeInstanceOf(BodyError);
    expect(refused.error).toMatchObject({
      reason: "media_type",
      status: 415,
      message: "The body must be application/json",
    });
    const taken = await send(post({ "content-type": "Application/JSON; charset=utf-8", "content-length": 2 }), ["{}"]);
    expect(taken).toEqual({ body: "{}" });
  });

  it("refuses a Content-Length over the limit before any byte arrives", async () => {
    options = { maxBytes: 64, timeout: 2_000 };
    const result = await send(post({ "content-length": 65 }));
    expect(result.error).toMatchObject({
      reason: "too_large",
      status: 413,
      message: "The body is larger than 64 bytes",
    });
  });

  it("cuts off a chunked body once it passes the limit", async () => {
    options = { maxBytes: 64, timeout: 2_000 };
    const chunk = `28\r\n${"x".repeat(40)}\r\n`;
    const result = await send(post({ "transfer-encoding": "chunked" }), [chunk, 20, chunk]);
    expect(result.error).toMatchObject({ reason: "too_large", status: 413 });
  });

  it("gives up on a body that trickles in slower than the time limit", async () => {
    options = { maxBytes: 64, timeout: 300 };
    const result = await send(post({ "content-length": 10 }), ["a", 150, "b", 150, "c", 150, "d"]);
    expect(result.error).toMatchObject({
      reason: "timeout",
      status: 408,
      message: "The body did not arrive within 300 ms",
    });
  });

  it("refuses bytes that are not UTF-8, naming none of them", async () => {
    options = { maxBytes: 64, timeout: 2_000 };
    const result = await send(post({ "content-length": 3 }), [Buffer.from([0x61, 0xc3, 0x28])]);
    expect(result.error).toMatchObject({ reason: "bad_encoding", status: 400, message: "The body is not valid UTF-8" });
  });

  it("says the client went away when the socket closes mid-body", async () => {
    options = { maxBytes: 64, timeout: 5_000 };
    const result = await send(post({ "content-length": 40 }), ["only part of it", 50], true);
    expect(result.error).toMatchObject({
      reason: "unreadable",
      status: 400,
      message: "The client went away before the body ended",
    });
  });
});
