// The gateway mounted in a Fastify 5 app with the mountGateway block of packages/gateway/README.md, as written:
// the pages and the API work under the prefix, the gateway (not Fastify) reads and limits the bodies there, and
// the rest of the app keeps Fastify's own JSON parser.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createGateway, type Gateway, newClientToken, smtpMailer, sqliteStore } from "@reguser/gateway";
import { type EmbeddedServer, startServer, usersProvisioner } from "@reguser/server";
import { type SmtpSink, startSmtpSink } from "@reguser/test-kit";
import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "./servers/ports.js";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { SECRET, signUpThroughPages } from "./support/gateway-fixture.js";
import { uniqueName } from "./support/names.js";
import { readSnippets } from "./support/snippets.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const THIS = "test/gateway-fastify.test.ts";
const WORK = join(ROOT, ".tmp", "gateway-fastify");
const PREFIX = "/accounts";

type MountGateway = (app: FastifyInstance, gateway: Gateway, prefix: string) => void;

let xmpp: EmbeddedServer;
let sink: SmtpSink;
let store: ReturnType<typeof sqliteStore>;
let mailer: ReturnType<typeof smtpMailer>;
let gateway: Gateway;
let app: FastifyInstance;
let origin: string;
const client = newClientToken();

beforeAll(async () => {
  const blocks = readSnippets(ROOT, "packages/gateway/README.md").filter((s) => s.runBy === THIS);
  expect(blocks).toHaveLength(1);
  mkdirSync(WORK, { recursive: true });
  const file = join(WORK, "mount-gateway.ts");
  writeFileSync(file, `${blocks[0]?.code}\n`);
  const { mountGateway } = (await import(pathToFileURL(file).href)) as { mountGateway: MountGateway };

  xmpp = await startServer({ domain: "fastify.test" });
  sink = await startSmtpSink();
  store = sqliteStore({ path: ":memory:" });
  mailer = smtpMailer({ url: sink.url, from: "accounts@example.org" });
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  app = Fastify();
  app.post("/echo", async (request) => ({ parsed: request.body }));
  gateway = createGateway({
    provisioner: usersProvisioner(xmpp.users),
    store,
    mailer,
    clientTokens: [{ id: "app", sha256: client.sha256 }],
    secret: SECRET,
    publicUrl: `${origin}${PREFIX}`,
    domain: xmpp.domain,
    maxBodyBytes: 2048,
  });
  mountGateway(app, gateway, PREFIX);
  await app.listen({ host: "127.0.0.1", port });
});

afterAll(async () => {
  await gateway?.close();
  await app?.close();
  await Promise.all([mailer?.close(), store?.close(), sink?.stop(), xmpp?.close()]);
  rmSync(WORK, { recursive: true, force: true });
});

const api = (body: string, contentType = "application/json") =>
  fetch(`${origin}${PREFIX}/api`, { method: "POST", headers: { "content-type": contentType }, body });

it("serves the sign-up page, mails a link under the prefix, and the chosen password logs in", async () => {
  const { username, password } = await signUpThroughPages(`${origin}${PREFIX}/`, sink);
  expect(await canLogIn(connectTo(xmpp), username, password)).toBe(true);
});

it("takes the seed's JSON call, and the gateway's own answers reach the client for bad bodies", async () => {
  const username = uniqueName("fy");
  const email = `${username}@mail.example.org`;
  const created = await api(JSON.stringify({ token: client.token, action: "create", username, email, name: "F" }));
  expect(created.status).toBe(200);
  expect(await created.json()).toMatchObject({ status: "ok", action: "create" });
  expect((await sink.next(email)).link).toContain(`${PREFIX}/set-password?t=`);

  const plain = await api("token=x", "text/plain");
  expect(plain.status).toBe(415);
  expect(await plain.json()).toMatchObject({ error: "unsupported_media_type" });
  const huge = await api(JSON.stringify({ token: client.token, action: "create", username: "x".repeat(4096) }));
  expect(huge.status).toBe(413);
  expect(await huge.json()).toMatchObject({ error: "payload_too_large" });
  const broken = await api('{"token": ');
  expect(broken.status).toBe(400);
  expect(await broken.json()).toMatchObject({ error: "bad_request" });
});

it("leaves the rest of the app its JSON parser, and answers outside the prefix itself", async () => {
  const echo = await fetch(`${origin}/echo`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"a":1}',
  });
  expect(await echo.json()).toEqual({ parsed: { a: 1 } });
  expect((await fetch(`${origin}/api`, { method: "POST" })).status).toBe(404);
  expect(await (await fetch(`${origin}${PREFIX}/health`)).json()).toEqual({ status: "ok" });
});
