// The book's own client library against the embedded server: Debian's Net::Jabber (libnet-jabber-perl) running our
// small Perl client (test/peers/net-jabber-client.pl) – the book's reguser script, and AuthSend – as a child process.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type EmbeddedServer, MemoryStore, type ServerAuthMethod, startServer } from "@reguser/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeTarget } from "./support/describe-target.js";
import { runChild } from "./support/run-child.js";

const SCRIPT = fileURLToPath(new URL("./peers/net-jabber-client.pl", import.meta.url));
/** Guards against a hang only: a Perl client that got nowhere is killed after this. */
const PERL_LIMIT_MS = 60_000;
const TEST_LIMIT_MS = 90_000;

const netJabber = {
  name: "Net::Jabber (the book's client)",
  unavailable(): string | undefined {
    const probe = spawnSync("perl", ["-MNet::Jabber", "-e", "1"], { encoding: "utf8", timeout: PERL_LIMIT_MS });
    if (probe.error) return "perl is not installed";
    if (probe.status !== 0) return "Net::Jabber is not installed (Debian: libnet-jabber-perl)";
    return undefined;
  },
};

describeTarget(netJabber, () => {
  // One store behind every server: joseph, registered by the book's script, then logs in each way.
  const store = new MemoryStore();
  let registration: EmbeddedServer;
  const logins = new Map<ServerAuthMethod, { server: EmbeddedServer; log: string[] }>();
  const servers = () => [registration, ...[...logins.values()].map((l) => l.server)];

  beforeAll(async () => {
    // The default error style: the book's text directly inside <error> as well as RFC 6120's condition and <text/>.
    registration = await startServer({ store, accounts: [{ username: "dj", password: "secret" }] });
    for (const method of ["plain", "digest", "0k"] as const) {
      // AuthSend takes SASL when offered, else the last method the auth get lists: one method per server forces it.
      const log: string[] = [];
      const server = await startServer({ store, sasl: false, authMethods: [method], log: (line) => log.push(line) });
      logins.set(method, { server, log });
    }
  });
  afterAll(async () => {
    await Promise.all(servers().map((s) => s?.close()));
  });

  async function perl(args: string[], password?: string): Promise<string> {
    const env = { ...process.env, ...(password === undefined ? {} : { NET_JABBER_PASSWORD: password }) };
    const run = await runChild("perl", [SCRIPT, ...args], { env, limit: PERL_LIMIT_MS });
    expect(run.code, `perl ${args.slice(0, 3).join(" ")}: ${run.stdout}${run.stderr}`).toBe(0);
    return run.stdout.trim();
  }
  const target = (server: EmbeddedServer) => [`${server.host}:${server.port}`, server.domain];

  it(
    "prints the book's three lines: the fields, joseph's registration, and dj's 409 (Username Not Available)",
    async () => {
      const inquiry = await perl(["register", ...target(registration)]);
      const fields = /^\[Inquiry\] Fields: (.+)$/.exec(inquiry)?.[1];
      // Net::Jabber returns the fields as a Perl hash: their order changes from run to run.
      expect(fields?.split(", ").sort()).toEqual(["email", "name", "password", "username"]);
      const joseph = ["username=joseph", "password=spinach", "name=Joseph Adams", "email=joseph@yak"];
      expect(await perl(["register", ...target(registration), ...joseph])).toBe(
        "[Attempt] (joseph) Successful registration",
      );
      const dj = ["username=dj", "password=secret", "name=DJ Adams", "email=dj@yak"];
      expect(await perl(["register", ...target(registration), ...dj])).toBe(
        "[Attempt] (dj) Error: 409 (Username Not Available)",
      );
    },
    TEST_LIMIT_MS,
  );

  // After the registration above: joseph exists in the shared store.
  it.each([
    ["plain", "password"],
    ["digest", "digest"],
    ["0k", "hash"],
  ] as const)(
    "logs joseph in with AuthSend's %s (the only method offered): it sends <%s>",
    async (method, element) => {
      const login = logins.get(method);
      if (!login) throw new Error(`no ${method} server`);
      expect(await perl(["login", ...target(login.server), "joseph", `book-${method}`], "spinach")).toBe(
        "[Login] (joseph) ok",
      );
      const sent = login.log.filter((line) => line.startsWith("in: <iq") && line.includes("jabber:iq:auth"));
      expect(sent.at(-1)).toContain(`<${element}>[redacted]</${element}>`);
      if (method === "0k") expect(login.server.users.get("joseph")?.zeroKnowledge.sequence).toBe(499);
    },
    TEST_LIMIT_MS,
  );

  it(
    "reads a refused login as the book would: 401 and the text GetError() finds inside <error>",
    async () => {
      const login = logins.get("digest");
      if (!login) throw new Error("no digest server");
      expect(await perl(["login", ...target(login.server), "joseph", "book-wrong"], "wrong")).toBe(
        "[Login] (joseph) Error: 401 (Unauthorized)",
      );
    },
    TEST_LIMIT_MS,
  );

  it(
    "logs in over SASL when the server offers it (Net::Jabber's AuthSASL picks PLAIN), then binds",
    async () => {
      const log: string[] = [];
      const server = await startServer({ store, log: (line) => log.push(line) });
      try {
        expect(await perl(["login", ...target(server), "joseph", "book-sasl"], "spinach")).toBe("[Login] (joseph) ok");
        expect(log.some((line) => /^in: <auth [^>]*mechanism="PLAIN"/.test(line))).toBe(true);
        expect(log.some((line) => line.includes("<jid>joseph@localhost/book-sasl</jid>"))).toBe(true);
      } finally {
        await server.close();
      }
    },
    TEST_LIMIT_MS,
  );
});
