// Clients that misbehave at the HTTP level against the account gateway: slow, oversized, lying, malformed, garbage,
// vanishing, injecting, flooding. Each case runs on a gateway of its own and checks, besides its answer, that nothing
// was created or mailed, that a normal create still works, that no secret leaked and that no connection is left
// (hostileCase in gateway-client.ts). Raw sockets for broken HTTP, fetch for well-formed requests. Over 400 lines
// because it is one case per misbehaviour; everything they share is in gateway-client.ts.
import { randomBytes } from "node:crypto";
import { Agent } from "node:http";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { uniqueName } from "../support/names.js";
import {
  type CaseContext,
  clientHello,
  createBody,
  type HostileOptions,
  head,
  hostileCase,
  jsonRequest,
  postThrough,
  waitFor,
} from "./gateway-client.js";

let xmpp: EmbeddedServer;
beforeAll(async () => {
  xmpp = await startServer({ domain: "hostile-gateway.test" });
});
afterAll(() => xmpp?.close());

const hostile = (body: (ctx: CaseContext) => Promise<void>, options?: HostileOptions) =>
  hostileCase(() => xmpp, body, options);

describe("slow clients", () => {
  it(
    "a body trickled a byte at a time past bodyTimeout: 408 request_timeout, and the connection is closed",
    hostile(async ({ gw, raw }) => {
      const body = JSON.stringify(createBody(gw.token)).padEnd(200);
      const client = await raw();
      client.send(head(["Content-Type: application/json", `Content-Length: ${body.length}`]));
      const trickling = client.trickle(body, 50);
      const reply = await client.reply();
      expect(reply).toMatchObject({ status: 408, json: { error: "request_timeout" } });
      expect(reply?.headers.connection).toBe("close");
      expect(await client.closedByServer()).toBe(true);
      await trickling;
    }),
  );

  it(
    "a chunked body trickled past bodyTimeout: 408 as well",
    hostile(async ({ gw, raw }) => {
      const json = JSON.stringify(createBody(gw.token));
      const client = await raw();
      client.send(head(["Content-Type: application/json", "Transfer-Encoding: chunked"]));
      const trickling = client.trickle([...json].map((c) => `1\r\n${c}\r\n`).join(""), 20);
      expect(await client.reply()).toMatchObject({ status: 408, json: { error: "request_timeout" } });
      expect(await client.closedByServer()).toBe(true);
      await trickling;
    }),
  );

  it(
    "slowloris: headers trickled past headersTimeout are cut off by the server",
    hostile(async ({ raw }) => {
      const client = await raw();
      client.send("POST /api HTTP/1.1\r\n");
      // 400 bytes at 50 ms is 20 s of headers, never finished; headersTimeout is 1 s.
      const trickling = client.trickle(`Host: 127.0.0.1\r\nX-Slow: ${"a".repeat(400)}`, 50);
      expect(await client.closedByServer()).toBe(true);
      await trickling;
      expect((await client.reply())?.status).toBe(408);
    }),
  );
});

describe("sizes that lie or grow", () => {
  it(
    "a Content-Length over maxBodyBytes: 413 at once, without the body being sent",
    hostile(async ({ raw }) => {
      const client = await raw();
      client.send(head(["Content-Type: application/json", "Content-Length: 1000000"]));
      expect(await client.reply()).toMatchObject({ status: 413, json: { error: "payload_too_large" } });
      expect(await client.closedByServer()).toBe(true);
    }),
  );

  it(
    "a chunked body with no Content-Length that grows over the cap: 413, and the connection is closed",
    hostile(async ({ gw, raw }) => {
      const client = await raw();
      client.send(head(["Content-Type: application/json", "Transfer-Encoding: chunked"]));
      client.send(`1\r\n{\r\n`);
      const filler = `"name":"${"x".repeat(1000)}",`;
      // At most 64 KiB, stopping as soon as the server answers: the cap is 8 KiB.
      for (let i = 0; i < 64 && client.received() === ""; i++) {
        if (!client.send(`${filler.length.toString(16)}\r\n${filler}\r\n`)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(await client.reply()).toMatchObject({ status: 413, json: { error: "payload_too_large" } });
      expect(await client.closedByServer()).toBe(true);
      expect(gw.events).toContainEqual(expect.objectContaining({ type: "request_refused", status: 413 }));
    }),
  );

  it(
    "a Content-Length that says 10 and sends 5, then stalls: 408",
    hostile(async ({ raw }) => {
      const client = await raw();
      client.send(`${head(["Content-Type: application/json", "Content-Length: 10"])}{"tok`);
      expect(await client.reply()).toMatchObject({ status: 408, json: { error: "request_timeout" } });
      expect(await client.closedByServer()).toBe(true);
    }),
  );

  it(
    "a Content-Length that says 5 and sends a whole create: the rest is no request, nothing is created",
    hostile(async ({ gw, raw }) => {
      const body = JSON.stringify(createBody(gw.token));
      const client = await raw();
      client.send(`${head(["Content-Type: application/json", "Content-Length: 5"])}${body}`);
      expect((await client.reply())?.status).toBe(400);
      expect(await client.closedByServer()).toBe(true);
      expect(client.received()).not.toMatch(/HTTP\/1\.1 200/);
    }),
  );

  it(
    "Content-Length with Transfer-Encoding, or two Content-Lengths that differ: 400, closed",
    hostile(async ({ gw, raw }) => {
      const body = JSON.stringify(createBody(gw.token));
      const heads = [
        ["Content-Type: application/json", `Content-Length: ${body.length}`, "Transfer-Encoding: chunked"],
        ["Content-Type: application/json", `Content-Length: ${body.length}`, "Content-Length: 5"],
        ["Content-Type: application/json", "Transfer-Encoding: chunked, identity"],
      ];
      for (const lines of heads) {
        const client = await raw();
        client.send(`${head(lines)}${body}`);
        expect((await client.reply())?.status).toBe(400);
        expect(await client.closedByServer()).toBe(true);
      }
    }),
  );
});

describe("bodies that are not the JSON object the API takes", () => {
  it(
    "truncated, BOMs, NaN, comments, deep arrays, duplicate and __proto__ keys, invalid UTF-8: 400 bad_request",
    hostile(async ({ gw }) => {
      const valid = createBody(gw.token);
      const text = JSON.stringify(valid);
      const fields = text.slice(1, -1);
      const bytes = (...parts: Array<string | number[]>) =>
        new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === "string" ? Buffer.from(p) : Buffer.from(p)))));
      const cases: Array<[string, string | Uint8Array]> = [
        ["empty", ""],
        ["truncated", text.slice(0, -3)],
        ["two BOMs", `\uFEFF\uFEFF${text}`],
        ["a BOM inside", `{\uFEFF${fields}}`],
        ["NaN", `{${fields},"name":NaN}`],
        ["Infinity", `{${fields.replace(/"name":"[^"]*"/, '"name":Infinity')}}`],
        ["single quotes", text.replaceAll('"', "'")],
        ["a trailing comma", `{${fields},}`],
        ["a comment", `{${fields}/* x */}`],
        ["4 000 nested arrays", `{${fields},"email":${"[".repeat(4000)}${"]".repeat(4000)}}`],
        ["an array", `[${text}]`],
        ["null", "null"],
        ["a string", JSON.stringify(text)],
        ["a duplicate key", `{${fields},"action":"reset_pass"}`],
        ["a duplicate key spelled with an escape", `{${fields},"\\u0075sername":"other"}`],
        ["__proto__", `{${fields},"__proto__":{"polluted":"yes"}}`],
        ["constructor.prototype", `{${fields},"constructor":{"prototype":{"polluted":"yes"}}}`],
        ["a 0xff byte", bytes(text.slice(0, -2), [0xff], text.slice(-2))],
        ["an overlong slash", bytes(text.slice(0, -2), [0xc0, 0xaf], text.slice(-2))],
        ["a UTF-8 encoded surrogate", bytes(text.slice(0, -2), [0xed, 0xa0, 0x80], text.slice(-2))],
        ["a truncated sequence", bytes(text.slice(0, -2), [0xe2, 0x82], text.slice(-2))],
      ];
      for (const [what, body] of cases) {
        const answer = await gw.api(body);
        expect([what, answer.status, answer.json?.error]).toEqual([what, 400, "bad_request"]);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("polluted");
      // RFC 8259 §8.1 lets a parser ignore one leading BOM: it is read as the body after it (here a wrong token).
      expect((await gw.api(`\uFEFF${JSON.stringify({ ...valid, token: "wrong" })}`)).status).toBe(401);
    }),
  );

  it(
    "100 000 levels of nesting: a 400, not a 500 or a crash",
    hostile(
      async ({ gw }) => {
        const { token, action, username } = createBody(gw.token);
        const deep = (open: string, close: string) => `${open.repeat(100_000)}1${close.repeat(100_000)}`;
        const bodies = [
          deep("[", "]"),
          deep('{"a":', "}"),
          `{"token":"${token}","action":"${action}","username":"${username}","name":${deep("[", "]")}}`,
        ];
        for (const body of bodies) {
          const answer = await gw.api(body);
          expect(answer).toMatchObject({ status: 400, json: { error: "bad_request" } });
        }
        expect(gw.events.filter((e) => e.code === "internal")).toEqual([]);
      },
      { maxBodyBytes: 1024 * 1024 },
    ),
  );
});

describe("media types", () => {
  it(
    "415 for a missing or other type, 400 for a form sent as JSON, and a charset parameter works",
    hostile(async ({ gw, expectMails }) => {
      const valid = createBody(gw.token);
      const json = new TextEncoder().encode(JSON.stringify(valid));
      expect(await gw.api(json, null)).toMatchObject({ status: 415, json: { error: "unsupported_media_type" } });
      for (const type of ["text/plain", "application/jsonx", "application/json-patch+json", "text/json", "json"]) {
        expect({ type, status: (await gw.api(valid, type)).status }).toEqual({ type, status: 415 });
      }
      const form = new URLSearchParams(valid).toString();
      expect((await gw.api(form, "application/x-www-form-urlencoded")).status).toBe(415);
      expect(await gw.api(form, "application/json")).toMatchObject({ status: 400, json: { error: "bad_request" } });
      expect((await gw.api(createBody(gw.token), "application/json; charset=utf-8")).status).toBe(200);
      expect((await gw.api(createBody(gw.token), "Application/JSON ; Charset=UTF-8")).status).toBe(200);
      expectMails(2);
    }),
  );
});

describe("garbage instead of HTTP", () => {
  it(
    "random bytes, a TLS ClientHello and an HTTP/2 preface: 400 and closed",
    hostile(async ({ raw }) => {
      const garbage = [
        Buffer.concat([Buffer.from([0]), randomBytes(512)]),
        await clientHello(),
        Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        Buffer.from("GET / HTTP/9.9\r\n\r\n"),
      ];
      for (const bytes of garbage) {
        const client = await raw();
        client.send(bytes);
        expect((await client.reply())?.status).toBe(400);
        expect(await client.closedByServer()).toBe(true);
      }
    }),
  );
});

describe("clients that go away", () => {
  it(
    "mid-body, by FIN or by reset: no unhandled error, nothing created",
    hostile(async ({ gw, raw }) => {
      const body = JSON.stringify(createBody(gw.token));
      for (const leave of ["end", "reset"] as const) {
        const client = await raw();
        client.send(
          `${head(["Content-Type: application/json", `Content-Length: ${body.length}`])}${body.slice(0, 20)}`,
        );
        await new Promise((r) => setTimeout(r, 50));
        if (leave === "end") client.socket.end();
        else client.socket.resetAndDestroy();
      }
      await waitFor(() => gw.events.filter((e) => e.type === "request_refused").length >= 2);
    }),
  );

  it(
    "after sending a whole request, before reading the answer: the request stands, nothing breaks",
    hostile(async ({ gw, raw, expectMails }) => {
      const wrong = JSON.stringify(createBody("not-the-token"));
      const first = await raw();
      first.send(jsonRequest(wrong));
      first.socket.resetAndDestroy();
      await waitFor(() => gw.events.some((e) => e.status === 401));
      // A whole create is a create: the link is mailed though its answer went nowhere. No account until it is used.
      const body = JSON.stringify(createBody(gw.token));
      const second = await raw();
      second.send(jsonRequest(body));
      second.socket.resetAndDestroy();
      await waitFor(() => gw.events.some((e) => e.type === "signup_link_sent"));
      expectMails(1);
    }),
  );
});

describe("injection", () => {
  it(
    "CR or LF in name, email or username: 400 naming the field",
    hostile(async ({ gw }) => {
      for (const field of ["name", "email", "username"]) {
        for (const bad of ["\r\nBcc: victim@example.org", "\nX-Evil: 1", "\r"]) {
          const body = createBody(gw.token);
          const value = `${body[field as keyof typeof body]}${bad}`;
          const answer = await gw.api({ ...body, [field]: value });
          expect(answer).toMatchObject({ status: 400, json: { error: "bad_request", field } });
        }
      }
      expect((await gw.api(createBody(`${gw.token}\r\nX-Evil: 1`))).status).toBe(401);
    }),
  );

  it(
    "headers over maxHeaderSize: 431 and closed; a bare CR in a header: 400 and closed",
    hostile(async ({ gw, raw }) => {
      const body = JSON.stringify(createBody(gw.token));
      const big = Array.from({ length: 20 }, (_, i) => `X-Pad-${i}: ${"p".repeat(1000)}`);
      for (const [lines, status] of [
        [big, 431],
        [["X-Evil: a\rb"], 400],
      ] as const) {
        const client = await raw();
        client.send(jsonRequest(body, [...lines]));
        expect((await client.reply())?.status).toBe(status);
        expect(await client.closedByServer()).toBe(true);
      }
    }),
  );
});

describe("methods and paths", () => {
  it(
    "GET, PUT, DELETE, PATCH, HEAD and OPTIONS on /api: 405 with Allow: POST",
    hostile(async ({ gw }) => {
      const body = JSON.stringify(createBody(gw.token));
      for (const method of ["GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]) {
        const withBody = ["PUT", "DELETE", "PATCH"].includes(method);
        const answer = await gw.request("/api", {
          method,
          ...(withBody ? { body, headers: { "content-type": "application/json" } } : {}),
        });
        expect([method, answer.status, answer.headers.get("allow")]).toEqual([method, 405, "POST"]);
        if (method === "HEAD") expect(answer.text).toBe("");
        else expect(answer.json?.error).toBe("method_not_allowed");
      }
    }),
  );

  it(
    "a refusal before the body was read closes the connection instead of draining the body",
    hostile(async ({ gw, raw }) => {
      for (const [method, path, status] of [
        ["PUT", "/api", 405],
        ["POST", "/nowhere", 404],
      ] as const) {
        const client = await raw();
        client.send(head(["Content-Type: application/json", "Content-Length: 10000000"], path, method));
        client.send(`{"token":"${gw.token}"`);
        const reply = await client.reply();
        expect(reply?.status).toBe(status);
        expect(reply?.headers.connection).toBe("close");
        expect(await client.closedByServer()).toBe(true);
      }
    }),
  );

  it(
    "dot segments, encoded characters and targets URL cannot parse: 404, not /api and not a 500",
    hostile(async ({ gw, raw }) => {
      const paths = [
        "/x/../api",
        "/x/%2e%2e/api",
        "/assets/../api",
        "/%61pi",
        "/api%00",
        "/api/",
        "/API",
        "/api;x",
        "//api",
        "http://127.0.0.1/x/../api",
        "//[",
        "//%00/api",
        "*",
      ];
      for (const path of paths) {
        const client = await raw();
        client.send(jsonRequest(JSON.stringify(createBody(gw.token)), ["Connection: close"], path));
        const reply = await client.reply();
        expect([path, reply?.status, reply?.json?.error]).toEqual([path, 404, "not_found"]);
        expect(await client.closedByServer()).toBe(true);
      }
    }),
  );

  it(
    "a query string on /api is ignored: the body alone says what to do",
    hostile(async ({ gw, expectMails }) => {
      const answer = await gw.request("/api?action=reset_pass&token=x&username=admin", {
        method: "POST",
        body: JSON.stringify(createBody(gw.token)),
        headers: { "content-type": "application/json" },
      });
      expect(answer).toMatchObject({ status: 200, json: { action: "create" } });
      expectMails(1);
    }),
  );
});

describe("floods", () => {
  it(
    "200 concurrent requests with wrong tokens over 8 sockets: all 401, and no token in the log",
    hostile(async ({ gw, secret, record }) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 8 });
      const tokens = Array.from({ length: 200 }, (_, i) =>
        i === 0
          ? `${gw.token.slice(0, -1)}${gw.token.endsWith("A") ? "B" : "A"}`
          : randomBytes(32).toString("base64url"),
      );
      secret(...tokens);
      try {
        const answers = await Promise.all(
          tokens.map((token) => postThrough(agent, `${gw.url}/api`, JSON.stringify(createBody(token)))),
        );
        for (const answer of answers) record(answer.text);
        expect(answers.filter((a) => a.status !== 401)).toEqual([]);
        expect(gw.events.filter((e) => e.status === 401)).toHaveLength(200);
      } finally {
        agent.destroy();
      }
    }),
  );

  it(
    "a flood of reset_pass for an account on record: 429 with Retry-After past the limit, not a mail each",
    hostile(
      async ({ gw, expectMails }) => {
        const username = uniqueName("flood");
        const email = `${username}@mail.example.org`;
        await gw.store.recordAccount(username, { email });
        const answers = await Promise.all(
          Array.from({ length: 60 }, () => gw.api({ token: gw.token, action: "reset_pass", username })),
        );
        const statuses = answers.map((a) => a.status);
        expect(statuses.filter((s) => s === 200)).toHaveLength(5);
        expect(statuses.filter((s) => s === 429)).toHaveLength(55);
        for (const limited of answers.filter((a) => a.status === 429)) {
          expect(limited.json?.error).toBe("rate_limited");
          expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
        }
        await gw.gateway.settled();
        expect(gw.sink.mails.every((m) => m.to.includes(email))).toBe(true);
        expectMails(5);
      },
      // The defaults, but not per IP: every case comes from 127.0.0.1, the normal create after it too.
      { limits: { perIp: false } },
    ),
  );
});
