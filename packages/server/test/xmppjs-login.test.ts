// An unchanged @xmpp/client 0.14 given only username and password: SCRAM-SHA-1 over plain TCP (it keeps PLAIN for TLS),
// and whatever it picks over STARTTLS – PLAIN when that is all the server offers.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { makeSelfSigned, type SelfSigned } from "@reguser/test-kit";
import { client } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerOptions } from "../src/index.js";
import { useServers } from "./helpers/server.js";

const { start } = useServers();
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const FIXTURE = fileURLToPath(new URL("./fixtures/xmppjs-online.ts", import.meta.url));
/** Guards against a hang only: a child that got nowhere is killed after this. */
const CHILD_LIMIT_MS = 60_000;

/** A server with ann/pencil whose log records the SASL mechanisms clients ask for. */
async function serverWithAnn(options: ServerOptions = {}) {
  const mechanisms: string[] = [];
  const log = (line: string) => {
    const asked = /^in: <auth [^>]*mechanism="([^"]+)"/.exec(line)?.[1];
    if (asked) mechanisms.push(asked);
  };
  const server = await start({ accounts: [{ username: "ann", password: "pencil" }], log, ...options });
  return { server, mechanisms, service: `xmpp://127.0.0.1:${server.port}` };
}

describe("over plain TCP", () => {
  it("goes online with SCRAM-SHA-1", async () => {
    const { service, mechanisms } = await serverWithAnn();
    const xmpp = client({ service, domain: "localhost", username: "ann", password: "pencil", timeout: 30_000 });
    xmpp.reconnect.stop();
    xmpp.on("error", () => {});
    const jid = await xmpp.start();
    expect(jid.bare().toString()).toBe("ann@localhost");
    expect(xmpp.isSecure()).toBe(false);
    expect(mechanisms).toEqual(["SCRAM-SHA-1"]);
    await xmpp.stop();
  });

  it("is refused with SASL not-authorized for a wrong password", async () => {
    const { service } = await serverWithAnn();
    const xmpp = client({ service, domain: "localhost", username: "ann", password: "crayon", timeout: 30_000 });
    xmpp.reconnect.stop();
    xmpp.on("error", () => {});
    await expect(xmpp.start()).rejects.toMatchObject({ name: "SASLError", condition: "not-authorized" });
    await xmpp.stop().catch(() => {});
  });
});

describe("over STARTTLS (the test certificate trusted through NODE_EXTRA_CA_CERTS)", () => {
  let dir: string;
  let cert: SelfSigned;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "reguser-xmppjs-tls-"));
    cert = await makeSelfSigned(dir, "localhost");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** The fixture in its own process, which trusts the certificate from its start. */
  async function onlineInChild(service: string, password: string) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", FIXTURE, service, "localhost", "ann"],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: cert.certFile, XMPP_PASSWORD: password },
        timeout: CHILD_LIMIT_MS,
      },
    );
    return stdout.trim();
  }

  it("goes online over TLS with whatever it picks from both mechanisms", async () => {
    const tls = { key: cert.keyPem, cert: cert.certPem };
    const { service, mechanisms } = await serverWithAnn({ tls });
    expect(await onlineInChild(service, "pencil")).toMatch(/^online ann@localhost\/fixture secure=true$/);
    expect(mechanisms).toHaveLength(1);
  }, 90_000);

  it("goes online with PLAIN over TLS when the server offers only PLAIN", async () => {
    const tls = { key: cert.keyPem, cert: cert.certPem };
    const { service, mechanisms } = await serverWithAnn({ tls, saslMechanisms: ["PLAIN"] });
    expect(await onlineInChild(service, "pencil")).toBe("online ann@localhost/fixture secure=true");
    expect(mechanisms).toEqual(["PLAIN"]);
    expect(await onlineInChild(service, "crayon")).toBe("failed SASLError not-authorized");
  }, 90_000);
});
