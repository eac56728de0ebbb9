// Start servers for one test file and close them all after each test.
import { StanzaError } from "@reguser/errors";
import { openStream, type XmppStream } from "@reguser/stream";
import { afterEach } from "vitest";
import { type EmbeddedServer, type ServerOptions, startServer } from "../../src/index.js";
import { modernHeader, type RawClient, rawClient } from "./raw-client.js";

export function useServers() {
  const servers: EmbeddedServer[] = [];
  const clients: RawClient[] = [];
  const streams: XmppStream[] = [];
  afterEach(async () => {
    // The streams first: they close politely before their servers do.
    await Promise.allSettled(streams.splice(0).map((s) => s.close()));
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return {
    start: async (options: ServerOptions = {}) => {
      const server = await startServer(options);
      servers.push(server);
      return server;
    },
    /** A reguser stream to `server`, closed after the test. */
    streamTo: async (server: EmbeddedServer): Promise<XmppStream> => {
      const stream = await openStream({ host: server.host, port: server.port, domain: server.domain });
      streams.push(stream);
      return stream;
    },
    /** A raw client on `server`, closed after the test; a 1.0 header (features read) unless given another. */
    connect: async (server: EmbeddedServer, header = modernHeader(server.domain)) => {
      const client = await rawClient(server.port, header);
      clients.push(client);
      const features = /<stream:stream[^>]* version='1.0'/.test(header) ? await client.next() : undefined;
      return Object.assign(client, { features });
    },
  };
}

/** `<iq type='…' id='…'><query xmlns='…'>children</query></iq>` as text, as a person at a telnet prompt would type it. */
export const iq = (type: "get" | "set", id: string, xmlns: string, children = "", extra = "") =>
  `<iq type='${type}' id='${id}'${extra}><query xmlns='${xmlns}'>${children}</query></iq>`;

export const REGISTER = "jabber:iq:register";
export const AUTH = "jabber:iq:auth";

export const registerText = (username: string, password: string, more = "") =>
  `<username>${username}</username><password>${password}</password>${more}`;

/** Register then log in with iq:auth plaintext on `client`'s stream. */
export async function registerAndLogin(client: RawClient, username: string, password: string, resource = "r") {
  client.send(iq("set", "reg", REGISTER, registerText(username, password)));
  const registered = await client.next();
  if (registered.attrs.type !== "result") throw new Error(`registration failed: ${registered.toString()}`);
  await loginPlain(client, username, password, resource);
}

export async function loginPlain(client: RawClient, username: string, password: string, resource = "r") {
  const proof = `<username>${username}</username><password>${password}</password><resource>${resource}</resource>`;
  client.send(iq("set", "login", AUTH, proof));
  const reply = await client.next();
  if (reply.attrs.type !== "result") throw new Error(`login failed: ${reply.toString()}`);
}

/** The StanzaError `promise` rejects with (a test failure when it resolves). */
export async function refusal(promise: Promise<unknown>): Promise<StanzaError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof StanzaError)) throw new Error(`expected a StanzaError, got ${String(err)}`);
  return err;
}
