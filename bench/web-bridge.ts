// `npm run bench:web-bridge`: one bridge (its own process) over fast Prosody: 100 users with 10 event streams each
// (1,000 concurrent SSE connections), chats sent to them from another XMPP session, the delivery latency from the
// send to the event on the stream (median, p99), the bridge's RSS, and what happens past its limits (an 11th
// stream, a 101st session, readers that stop reading). Prints figures; asserts nothing.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import { client, xml } from "@xmpp/client";
import { REPO_ROOT } from "./lib/child.js";
import { start, stopAll } from "./lib/servers.js";

const USERS = Number(process.env.USERS ?? 100);
const STREAMS_PER_USER = Number(process.env.STREAMS ?? 10);
const MESSAGES = Number(process.env.MESSAGES ?? 2000);
const RATE = Number(process.env.RATE ?? 200); // messages per second
const password = (i: number) => `bench-password-${i}`;

const users = Array.from({ length: USERS }, (_, i) => ({ username: `u${i}`, password: password(i) }));
const sender = { username: "sender", password: "sender-password" };
const xmppServer = await start("prosody-fast", {
  users: [...users, sender, { username: "extra", password: "extra-pw" }],
});
const service = `xmpp://${xmppServer.host}:${xmppServer.port}`;

const child = spawn(
  process.execPath,
  [
    "--import",
    "tsx",
    "--conditions=@reguser/source",
    "bench/web-bridge-child.ts",
    JSON.stringify({
      xmpp: { service, domain: xmppServer.domain, timeout: 60_000 },
      maxStreamsPerUser: STREAMS_PER_USER,
      maxSessions: USERS,
      maxQueuedEvents: 256,
      graceMs: 600_000,
    }),
  ],
  { cwd: REPO_ROOT, stdio: ["ignore", "pipe", "inherit"] },
);
const port = await new Promise<number>((resolve, reject) => {
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
    const m = /listening (\d+)/.exec(out);
    if (m) resolve(Number(m[1]));
  });
  child.once("exit", (code) => reject(new Error(`bridge exited ${code}`)));
});
const base = `http://127.0.0.1:${port}`;
const rssMiB = () => {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))?.[1]);
  return kb / 1024;
};
const agent = new http.Agent({ keepAlive: true, maxSockets: 5000 });

function post(path: string, body: string, token?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${base}${path}`,
      { method: "POST", agent, headers: token ? { authorization: token } : {} },
      (response) => {
        let text = "";
        response.on("data", (d) => (text += d));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

/** One SSE connection that records when each chat's id arrives; `pause` stops reading (a slow reader). */
function stream(ticket: string, onChat: (id: string) => void) {
  return new Promise<{ status: number; response?: http.IncomingMessage; dropped: () => number }>((resolve) => {
    let dropped = 0;
    http
      .get(`${base}/sse?ticket=${ticket}`, { agent: false }, (response) => {
        if (response.statusCode !== 200) {
          response.resume();
          return resolve({ status: response.statusCode ?? 0, dropped: () => 0 });
        }
        let buffer = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf("\n\n");
          while (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /"body":"m(\d+) /.exec(frame)?.[1];
            if (id && frame.startsWith("event: chatapi.chat")) onChat(id);
            const lost = /event: bridge\.dropped\ndata: \{"dropped":(\d+)\}/.exec(frame)?.[1];
            if (lost) dropped += Number(lost);
            end = buffer.indexOf("\n\n");
          }
        });
        response.on("error", () => {});
        resolve({ status: 200, response, dropped: () => dropped });
      })
      .on("error", () => resolve({ status: 0, dropped: () => 0 }));
  });
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

try {
  const rssIdle = rssMiB();
  const t0 = performance.now();
  const tokens = await Promise.all(
    users.map(async (u) => JSON.parse((await post(`/login/${u.username}`, u.password)).text).token as string),
  );
  const loginSeconds = (performance.now() - t0) / 1000;
  const rssSessions = rssMiB();

  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const seen = new Map<string, number>();
  const onChat = (id: string) => {
    const count = (seen.get(id) ?? 0) + 1;
    seen.set(id, count);
    const sent = sentAt.get(id);
    if (sent !== undefined) latencies.push(performance.now() - sent);
  };
  const streams = [];
  for (const token of tokens) {
    for (let s = 0; s < STREAMS_PER_USER; s++) {
      const ticket = JSON.parse((await post("/ticket", "", token)).text).ticket as string;
      streams.push(await stream(ticket, onChat));
    }
  }
  const open = streams.filter((s) => s.status === 200).length;
  const rssStreams = rssMiB();

  // Past the limits: an 11th stream for a user, a 101st session.
  const extraTicket = JSON.parse((await post("/ticket", "", tokens[0] as string)).text).ticket as string;
  const eleventh = await stream(extraTicket, () => {});
  const extraLogin = await post("/login/extra", "extra-pw");

  const xmpp = client({ service, domain: xmppServer.domain, resource: "bench", ...sender });
  xmpp.on("error", () => {});
  await xmpp.start();
  const interval = 1000 / RATE;
  const sendStart = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    const target = `u${i % USERS}@${xmppServer.domain}`;
    const id = String(i);
    sentAt.set(id, performance.now());
    await xmpp.send(xml("message", { to: target, type: "chat" }, xml("body", {}, `m${id} hello`)));
    const due = sendStart + (i + 1) * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const expected = MESSAGES * STREAMS_PER_USER;
  for (let i = 0; i < 600 && latencies.length < expected; i++) await new Promise((r) => setTimeout(r, 50));
  const rssAfter = rssMiB();

  // Slow readers: user 0's ten streams stop reading while 2,000 chats of 4 KiB go to it.
  const slow = streams.slice(0, STREAMS_PER_USER);
  for (const s of slow) s.response?.pause();
  const big = "x".repeat(4096);
  for (let i = 0; i < 2000; i++) {
    await xmpp.send(
      xml("message", { to: `u0@${xmppServer.domain}`, type: "chat" }, xml("body", {}, `m${MESSAGES + i} ${big}`)),
    );
    if (i % 100 === 99) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const rssSlow = rssMiB();
  for (const s of slow) s.response?.resume();
  await new Promise((r) => setTimeout(r, 2000));
  const droppedEvents = slow.reduce((n, s) => n + s.dropped(), 0);

  const lines = [
    `web bridge over fast Prosody, ${USERS} users × ${STREAMS_PER_USER} streams, one bridge process (RSS via /proc)`,
    `  logins: ${USERS} in ${loginSeconds.toFixed(2)} s (${(USERS / loginSeconds).toFixed(1)}/s, five at a time); event streams open: ${open} of ${USERS * STREAMS_PER_USER}`,
    `  bridge RSS: idle ${rssIdle.toFixed(1)} MiB, ${USERS} sessions ${rssSessions.toFixed(1)} MiB, ${open} streams ${rssStreams.toFixed(1)} MiB, after ${MESSAGES} chats ${rssAfter.toFixed(1)} MiB`,
    `  delivery: ${latencies.length} of ${expected} events (${MESSAGES} chats × ${STREAMS_PER_USER} streams) at ${RATE} chats/s; latency median ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${percentile(latencies, 100).toFixed(1)} ms`,
    `  past the limits: an 11th stream for one user → ${eleventh.status}; a ${USERS + 1}st session → ${extraLogin.status}`,
    `  slow readers: ${STREAMS_PER_USER} streams paused while 2,000 chats of 4 KiB arrived: bridge RSS ${rssSlow.toFixed(1)} MiB (queue cap 256 frames each), ${droppedEvents} events reported dropped after they resumed`,
  ];
  console.log(lines.join("\n"));
  await xmpp.stop();
  for (const s of streams) s.response?.destroy();
} finally {
  child.kill("SIGTERM");
  agent.destroy();
  await stopAll();
}
