// Clients that misbehave against the web session bridge: slow, oversized and broken bodies, a storm of wrong
// passwords, forged and stale tokens and tickets, event streams that vanish or stop reading, path tricks, and the
// XMPP server going away under it. Each case runs on a bridge of its own and checks, besides its answer, that a
// normal login and event stream still work, that no password, token or ticket was logged or answered, that no
// connection is left and nothing went unhandled (bridgeCase in web-bridge-client.ts). Over 400 lines because it is
// one case per misbehaviour; what they share is in web-bridge-client.ts.
import { type EmbeddedServer, startServer } from "@reguser/server";
import { xml } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBridge } from "../support/bridge-fixture.js";
import { strongPassword, uniqueName } from "../support/names.js";
import {
  bridgeCase,
  type CaseContext,
  type CaseOptions,
  head,
  rawClients,
  sleep,
  waitFor,
  within,
} from "./web-bridge-client.js";

let xmpp: EmbeddedServer;
beforeAll(async () => {
  xmpp = await startServer({ domain: "hostile-bridge.test" });
});
afterAll(() => xmpp?.close());

const hostile = (body: (ctx: CaseContext) => Promise<void>, options?: CaseOptions) =>
  bridgeCase(() => xmpp, body, options);

/** A login request for a raw socket: `body` with its true Content-Length. */
const loginRequest = (path: string, body: string, lines: string[] = []) =>
  `${head(["Content-Type: text/plain", `Content-Length: ${Buffer.byteLength(body)}`, ...lines], path)}${body}`;

/** The XMPP resources the bridge holds for `username` (its sessions are `web-…`). */
const webResources = (server: EmbeddedServer, username: string) =>
  server.sessions.online(username).filter((jid) => jid.includes("/web-"));

describe("bodies that are slow, too big or not text", () => {
  it(
    "a password trickled a byte at a time past bodyTimeout: 408 request_timeout, and the connection is closed",
    hostile(async ({ account, raw }) => {
      const client = await raw();
      const password = account.password.padEnd(40, "x");
      client.send(
        head(["Content-Type: text/plain", `Content-Length: ${password.length}`], `/login/${account.username}`),
      );
      const trickling = client.trickle(password, 50);
      const reply = await client.reply();
      expect(reply).toMatchObject({ status: 408, json: { error: "request_timeout" } });
      expect(reply?.headers.connection).toBe("close");
      expect(await client.closedByServer()).toBe(true);
      await trickling;
    }),
  );

  it(
    "a Content-Length over maxBodyBytes: 413 at once; a chunked body that grows past it: 413; both closed",
    hostile(async ({ account, raw, fixture }) => {
      const path = `/login/${account.username}`;
      const told = await raw();
      told.send(head(["Content-Type: text/plain", "Content-Length: 1000000"], path));
      expect(await told.reply()).toMatchObject({ status: 413, json: { error: "payload_too_large" } });
      expect(await told.closedByServer()).toBe(true);
      const growing = await raw();
      growing.send(head(["Content-Type: text/plain", "Transfer-Encoding: chunked"], path));
      const filler = "p".repeat(1000);
      // At most 64 KiB, stopping once the server answers: the cap is 16 KiB.
      for (let i = 0; i < 64 && growing.received() === ""; i++) {
        if (!growing.send(`${filler.length.toString(16)}\r\n${filler}\r\n`)) break;
        await sleep(10);
      }
      expect(await growing.reply()).toMatchObject({ status: 413, json: { error: "payload_too_large" } });
      expect(await growing.closedByServer()).toBe(true);
      expect(fixture.events.filter((e) => e.status === 413)).toHaveLength(2);
      expect(fixture.bridge.sessions).toBe(0);
    }),
  );

  it(
    "a password that is not UTF-8 (0xff, an overlong slash, an encoded surrogate, a cut sequence): 400",
    hostile(async ({ account, request, fixture }) => {
      const sequences = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82]];
      for (const bytes of sequences) {
        const body = new Uint8Array(Buffer.concat([Buffer.from(account.password), Buffer.from(bytes)]));
        const answer = await request(`/login/${account.username}`, { method: "POST", body });
        expect([bytes, answer.status, answer.json?.error]).toEqual([bytes, 400, "bad_request"]);
      }
      expect(fixture.bridge.sessions).toBe(0);
    }),
  );
});

describe("a login storm", () => {
  it(
    "100 concurrent wrong passwords for one user: all 401, the very answer an unknown user gets, no session",
    hostile(async ({ user, login, fixture, xmpp }) => {
      const victim = user();
      const wrong = Array.from({ length: 100 }, () => ({ username: victim.username, password: strongPassword() }));
      const answers = await Promise.all(wrong.map(login));
      const ghost = await login({ username: uniqueName("ghost"), password: strongPassword() });
      expect(ghost).toMatchObject({ status: 401, json: { error: "unauthorized" } });
      expect(answers.filter((a) => a.status !== 401 || a.text !== ghost.text)).toEqual([]);
      expect(fixture.events.filter((e) => e.type === "login_refused" && e.status === 401)).toHaveLength(101);
      expect(fixture.bridge.sessions).toBe(0);
      expect(webResources(xmpp, victim.username)).toEqual([]);
    }),
  );

  it(
    "two right logins amid a storm of wrong ones: one XMPP session, and no lost second one ends and takes the tokens",
    hostile(
      async ({ user, login, ticket, stream, request, fixture, xmpp }) => {
        const victim = user();
        const attempts = Array.from({ length: 40 }, () => ({ username: victim.username, password: strongPassword() }));
        // Right after the first wrong ones: the right logins wait on an opening that fails, then each opens its own.
        attempts.splice(5, 0, victim, victim);
        const answers = await Promise.all(attempts.map(login));
        expect(answers.map((a) => a.status).filter((s) => s === 200)).toHaveLength(2);
        expect(answers.filter((a) => a.status !== 200 && a.status !== 401)).toEqual([]);
        const [first, second] = answers.filter((a) => a.status === 200).map((a) => a.json?.token as string);
        expect(fixture.bridge.sessions).toBe(1);
        await waitFor(() => webResources(xmpp, victim.username).length === 1);
        // A stream keeps the session; a second session lost in the race would end at its grace and take the tokens.
        await stream(await ticket(first as string));
        await sleep(1500);
        const used = await request("/ticket", { method: "POST", headers: { authorization: second as string } });
        expect(used.status).toBe(200);
        expect(fixture.events.filter((e) => e.type === "session_ended")).toEqual([]);
      },
      { graceMs: 300 },
    ),
  );
});

describe("tokens that are forged, revoked or stale", () => {
  it(
    "garbage, a 10 KB header, a bare `Bearer `, a doubled prefix, another scheme: 401 on every route",
    hostile(async ({ account, token, request, post, secret, xmpp }) => {
      const live = await token(account);
      const forged = [
        "garbage",
        "A".repeat(10 * 1024),
        "Bearer ",
        `Bearer Bearer ${live}`,
        `Basic ${Buffer.from(`${account.username}:${account.password}`).toString("base64")}`,
        `${live.slice(0, -1)}${live.endsWith("A") ? "B" : "A"}`,
        `${live}x`,
      ];
      secret(...forged.slice(4));
      const to = `${account.username}@${xmpp.domain}`;
      for (const authorization of forged) {
        for (const path of ["/ticket", "/logout"]) {
          const answer = await request(path, { method: "POST", headers: { authorization } });
          expect([path, answer.status, answer.json?.error]).toEqual([path, 401, "unauthorized"]);
        }
        expect(await post("/message", authorization, { to, body: "hi" })).toMatchObject({
          status: 401,
          json: { error: "unauthorized" },
        });
      }
      // The token itself, bare or as `Bearer <token>`, still works.
      for (const authorization of [live, `Bearer ${live}`]) {
        expect((await request("/ticket", { method: "POST", headers: { authorization } })).status).toBe(200);
      }
    }),
  );

  const clock = { now: Date.now() };
  it(
    "a revoked token, an expired one and an idle one: 401; a token in use, or with a stream open, stays live",
    hostile(
      async ({ account, token, request, ticket, stream, post, xmpp }) => {
        const use = (t: string) => request("/ticket", { method: "POST", headers: { authorization: t } });
        const revoked = await token(account);
        const kept = await token(account);
        const idle = await token(account);
        expect((await request("/logout", { method: "POST", headers: { authorization: revoked } })).status).toBe(204);
        expect(await use(revoked)).toMatchObject({ status: 401, json: { error: "unauthorized" } });
        // Used every 50 s: never idle (idleMs 60 s), but expired past tokenTtlMs (180 s).
        for (let i = 0; i < 3; i++) {
          clock.now += 50_000;
          expect((await use(kept)).status).toBe(200);
        }
        expect(await use(idle)).toMatchObject({ status: 401, json: { error: "unauthorized" } });
        clock.now += 40_000;
        expect(await use(kept)).toMatchObject({ status: 401, json: { error: "unauthorized" } });
        // A token whose user has an event stream open does not go idle (the page is there, reading).
        const streaming = await token(account);
        const sse = await stream(await ticket(streaming));
        clock.now += 120_000;
        const to = `${account.username}@${xmpp.domain}`;
        expect((await post("/message", streaming, { to, body: "still here" })).status).toBe(202);
        await sse.until('"body":"still here"');
      },
      { now: () => clock.now, idleMs: 60_000, tokenTtlMs: 180_000 },
    ),
  );
});

describe("tickets that are reused, stale or for a dead token", () => {
  const clock = { now: Date.now() };
  it(
    "reused, expired, of a token revoked after it was issued, garbage or missing: 401; `?token=`: 400",
    hostile(
      async ({ account, token, ticket, stream, request, fixture }) => {
        const open = (query: string) => request(`/sse?${query}`);
        const live = await token(account);
        const other = await token(account);
        const once = await ticket(live);
        (await stream(once)).response.destroy();
        expect(await open(`ticket=${once}`)).toMatchObject({ status: 401, json: { error: "unauthorized" } });
        const stale = await ticket(live);
        clock.now += 31_000;
        expect(await open(`ticket=${stale}`)).toMatchObject({ status: 401, json: { error: "unauthorized" } });
        // Its token revoked after it was issued; the user's other token keeps the session.
        const orphan = await ticket(other);
        expect((await request("/logout", { method: "POST", headers: { authorization: other } })).status).toBe(204);
        expect(fixture.bridge.sessions).toBe(1);
        expect(await open(`ticket=${orphan}`)).toMatchObject({ status: 401, json: { error: "unauthorized" } });
        for (const query of ["ticket=garbage", `ticket=${"t".repeat(5000)}`, "ticket=", "ticket", ""]) {
          expect([query, (await open(query)).status]).toEqual([query, 401]);
        }
        // The token never goes in a URL: refused, even beside a valid ticket, which stays usable.
        const fresh = await ticket(live);
        for (const query of [`token=${live}`, `token=${live}&ticket=${fresh}`, "token="]) {
          expect(await open(query)).toMatchObject({ status: 400, json: { error: "bad_request" } });
        }
        await (await stream(fresh)).until(`"username":"${account.username}"`);
      },
      { now: () => clock.now },
    ),
  );
});

describe("event streams that vanish or stop reading", () => {
  it(
    "50 streams dropped by the client (destroyed, reset): every one closes, and the grace period ends the session",
    hostile(
      async ({ user, token, ticket, stream, request, fixture, xmpp }) => {
        const victim = user();
        const live = await token(victim);
        const streams = [];
        for (let i = 0; i < 50; i++) streams.push(await stream(await ticket(live)));
        const mine = (type: string) => fixture.events.filter((e) => e.type === type && e.username === victim.username);
        expect(mine("stream_opened")).toHaveLength(50);
        for (const [i, { response }] of streams.entries()) {
          if (i % 2 === 0) response.socket.destroy();
          else response.socket.resetAndDestroy();
        }
        await waitFor(() => mine("stream_closed").length === 50);
        await waitFor(() => mine("session_ended").length === 1);
        expect(mine("session_ended")).toEqual([{ type: "session_ended", username: victim.username, detail: "idle" }]);
        await waitFor(() => webResources(xmpp, victim.username).length === 0);
        expect(await request("/ticket", { method: "POST", headers: { authorization: live } })).toMatchObject({
          status: 401,
        });
      },
      { graceMs: 300, maxStreamsPerUser: 50 },
    ),
  );

  it(
    "a reader that stops while 400 headlines of 64 KiB arrive: the oldest are dropped, each counted where it is missing",
    hostile(
      async ({ user, token, ticket, stream, xmpp }) => {
        const reader = user();
        const { response, text } = await stream(await ticket(await token(reader)));
        response.pause();
        const body = "x".repeat(64 * 1024);
        for (let i = 0; i < 400; i++) {
          const headline = xml("message", { type: "headline" }, xml("body", {}, `${i} ${body}`));
          xmpp.sessions.send(`${reader.username}@${xmpp.domain}`, headline);
          if (i % 50 === 49) await sleep(10);
        }
        await sleep(300);
        response.resume();
        // In order: chat frames (the headline's number) and bridge.dropped frames (how many events they stand for).
        const frames = () =>
          [
            ...text().matchAll(
              /event: chatapi\.chat\ndata: [^\n]*?"body":"(\d+) |event: bridge\.dropped\ndata: \{"dropped":(\d+)\}/g,
            ),
          ].map(([, index, dropped]) => ({
            index: index === undefined ? -1 : Number(index),
            dropped: Number(dropped ?? 0),
          }));
        const accounted = () => frames().reduce((n, f) => n + (f.index >= 0 ? 1 : f.dropped), 0);
        await waitFor(() => accounted() >= 400);
        // Every headline is delivered or counted, none twice; each bridge.dropped stands exactly where its events
        // are missing, so the page knows what it lost. Drops at all show that the queue did not grow with the input.
        expect(accounted()).toBe(400);
        let last = -1;
        let missing = 0;
        for (const frame of frames()) {
          if (frame.index < 0) missing += frame.dropped;
          else {
            expect(frame.index - last - 1).toBe(missing);
            last = frame.index;
            missing = 0;
          }
        }
        expect([last, missing]).toEqual([399, 0]);
        expect(frames().filter((f) => f.index < 0).length).toBeGreaterThan(0);
      },
      // Heartbeats every 5 ms: a comment queued for a stalled reader must neither take an event's place nor count.
      { maxQueuedEvents: 8, heartbeatMs: 5 },
    ),
  );
});

describe("POST /message bodies that are wrong", () => {
  it(
    "malformed JSON, an XML-invalid character, a spoofed from, a body over the limit: 400, 400, 400, 413",
    hostile(async ({ account, token, post, raw, fixture, xmpp }) => {
      const live = await token(account);
      const to = `${account.username}@${xmpp.domain}`;
      for (const bad of ['{"to":', "{to:'a@b'}", `[${JSON.stringify({ to, body: "x" })}]`, "null", '"x"', ""]) {
        expect([bad, (await post("/message", live, bad)).json?.error]).toEqual([bad, "bad_request"]);
      }
      for (const body of ["nul \u0000", "bell \u0007", "\uFFFE", "lone \uD800", "lone \uDC00 low"]) {
        const answer = await post("/message", live, { to, body });
        expect([body, answer.status, answer.json?.error]).toEqual([body, 400, "bad_request"]);
      }
      for (const field of ["from", "id", "__proto__", "xmlns"]) {
        const spoofed = `{"to":${JSON.stringify(to)},"body":"hi",${JSON.stringify(field)}:"admin@${xmpp.domain}"}`;
        const answer = await post("/message", live, spoofed);
        expect(answer).toMatchObject({ status: 400, json: { error: "bad_request" } });
        expect(answer.json?.message).toContain(`"${field}"`);
      }
      const big = JSON.stringify({ to, body: "b".repeat(20_000) });
      const client = await raw();
      client.send(
        `${head(["Content-Type: application/json", `Content-Length: ${big.length}`, `Authorization: ${live}`], "/message")}${big}`,
      );
      expect(await client.reply()).toMatchObject({ status: 413, json: { error: "payload_too_large" } });
      expect(await client.closedByServer()).toBe(true);
      expect(fixture.events.filter((e) => e.type === "message_sent")).toEqual([]);
    }),
  );
});

describe("methods and paths", () => {
  it(
    "GET /login/x, other methods, case and slashes: 404; names with an encoded / or @ or bad escapes: 400",
    hostile(async ({ account, raw }) => {
      const ask = async (method: string, path: string) => {
        const client = await raw();
        client.send(loginRequest(path, "not-the-password", ["Connection: close"]).replace(/^POST/, method));
        const reply = await client.reply();
        expect(await client.closedByServer()).toBe(true);
        return [method, path, reply?.status, reply?.json?.error];
      };
      const u = account.username;
      for (const [method, path] of [
        ["GET", `/login/${u}`],
        ["PUT", `/login/${u}`],
        ["DELETE", `/login/${u}`],
        ["POST", `/LOGIN/${u}`],
        ["POST", `/login/${u}/`],
        ["POST", `/login/${u}/x`],
        ["POST", `/sparkweb/..%2flogin/${u}`],
        ["POST", `/%6cogin/${u}`],
        ["POST", "/login"],
        ["POST", "/sparkweb/../login"],
        ["POST", "*"],
      ]) {
        expect(await ask(method as string, path as string)).toEqual([method, path, 404, "not_found"]);
      }
      for (const name of ["a%2Fb", "a%2fb", "a%40b", "a%3Ab", "%00", "a%20b", "%E0%A4", "%", "a%22b"]) {
        expect(await ask("POST", `/login/${name}`)).toEqual(["POST", `/login/${name}`, 400, "bad_request"]);
      }
      // Dot segments resolve as a browser resolves them: the login route, with every check it makes.
      for (const path of [`/sparkweb/../login/${u}`, `/sparkweb/%2e%2e/login/${u}`, `/x/../../login/${u}`]) {
        expect(await ask("POST", path)).toEqual(["POST", path, 401, "unauthorized"]);
      }
    }),
  );
});

describe("the XMPP server going away", () => {
  let away: EmbeddedServer;
  beforeAll(async () => {
    away = await startServer({ domain: "going-away.test" });
  });
  afterAll(() => away?.close());

  it(
    "mid-session: the streams end, the tokens stop working, a login is a 502 at once; back, it serves again",
    bridgeCase(
      () => away,
      async ({ account, token, ticket, stream, request, post, fixture, setXmpp }) => {
        const live = await token(account);
        const tabs = [await stream(await ticket(live)), await stream(await ticket(live))];
        const { port, domain } = away;
        await away.close();
        for (const tab of tabs) expect(await tab.ended()).toBe(true);
        await waitFor(() => fixture.bridge.sessions === 0);
        expect(fixture.events).toContainEqual({ type: "session_ended", username: account.username, detail: "server" });
        expect(await request("/ticket", { method: "POST", headers: { authorization: live } })).toMatchObject({
          status: 401,
        });
        expect(await post("/message", live, { to: `${account.username}@${domain}`, body: "x" })).toMatchObject({
          status: 401,
        });
        // Nothing listens: the login fails fast with a 502, not after a hang (request() is bounded by SETTLE_MS).
        expect(await within(request(`/login/${account.username}`, { method: "POST", body: account.password }))).toEqual(
          {
            status: 502,
            text: expect.any(String),
            json: { status: "error", error: "xmpp_failed", message: expect.any(String) },
          },
        );
        expect((await request("/health")).status).toBe(200);
        // The server comes back on the same port: logins work again (the case's closing checks log in).
        away = await startServer({ domain, port });
        setXmpp(away);
      },
    ),
  );
});

describe("closing", () => {
  it("a login whose body arrives after close() gets a 503 and opens no XMPP session", async () => {
    const account = { username: uniqueName("late"), password: strongPassword() };
    xmpp.users.add(account);
    const fixture = await startBridge({ service: `xmpp://127.0.0.1:${xmpp.port}`, domain: xmpp.domain });
    const texts: string[] = [];
    const port = Number(new URL(fixture.url).port);
    const raws = rawClients(port, texts);
    try {
      const client = await raws.connect();
      const half = account.password.length >> 1;
      client.send(
        head(["Content-Type: text/plain", `Content-Length: ${account.password.length}`], `/login/${account.username}`),
      );
      client.send(account.password.slice(0, half));
      await sleep(50);
      await fixture.bridge.close();
      client.send(account.password.slice(half));
      expect(await client.reply()).toMatchObject({ status: 503, json: { error: "shutting_down" } });
      expect(fixture.bridge.sessions).toBe(0);
      expect(webResources(xmpp, account.username)).toEqual([]);
      expect(JSON.stringify(fixture.events)).not.toContain(account.password);
    } finally {
      raws.destroyAll();
      await fixture.stop();
    }
  });
});
