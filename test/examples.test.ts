// The examples users copy from must run as written: each is executed against a real Prosody.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { prosodyInvite, type RunningServer, startServer } from "./servers/index.js";
import { describeTarget } from "./support/describe-target.js";
import { prosody } from "./support/real-targets.js";

const run = promisify(execFile);
const example = (file: string, args: string[], env: Record<string, string> = {}) =>
  run("npx", ["tsx", `examples/${file}`, ...args], { env: { ...process.env, ...env }, timeout: 30_000 }).then(
    (r) => r.stdout,
  );

describeTarget(prosody, () => {
  let server: RunningServer;
  let target: string;
  beforeAll(async () => {
    server = await startServer("prosody");
    target = `${server.host}:${server.port}`;
  });
  afterAll(() => server?.stop());

  it("register-real-server.ts registers, then logs in on a fresh stream", async () => {
    const out = await example("register-real-server.ts", [target, "exampleuser", server.domain], {
      REGUSER_PASSWORD: "example-password-1",
    });
    expect(out).toContain("registered exampleuser");
    expect(out).toContain("logged in as exampleuser@localhost/example with plain");
  });

  it("register-then-login.ts registers, logs in, changes the password and removes the account", async () => {
    const out = await example("register-then-login.ts", [target, server.domain]);
    expect(out).toMatch(/registered and logged in as demo[0-9a-f]{8}@localhost\/demo \(plain\)/);
    expect(out).toContain("password changed");
    expect(out).toMatch(/removed; the server closed the stream: true/);
  });

  it("handle-errors.ts shows each typed error", async () => {
    const out = await example("handle-errors.ts", [target, server.domain]);
    expect(out).toContain("register: ok");
    expect(out).toMatch(/register the same name again: taken.*\(409 conflict\)/);
    expect(out).toMatch(/wrong password: wrong credentials.*\(401 not-authorized\)/);
    expect(out).toContain("log in with a method nobody offers: offered only plain");
    expect(out).toMatch(/closed port: network – Cannot connect/);
  });
});

describeTarget(prosody, () => {
  let server: RunningServer;
  let target: string;
  beforeAll(async () => {
    server = await startServer("prosody", { invites: true });
    target = `${server.host}:${server.port}`;
  });
  afterAll(() => server?.stop());
  const env = { REGUSER_PASSWORD: "shipped-password-1" };

  it("register-as-shipped.ts explains an invite-only server, then registers with an invite", async () => {
    const refused = await example("register-as-shipped.ts", [target, "noinvite", server.domain], env).catch(
      (err: { stdout?: string; code?: number }) => `${err.stdout} (exit ${err.code})`,
    );
    expect(refused).toMatch(/^this server takes invites\ninvite-only: .*pass one as `invite`.*\(exit 1\)$/s);
    const uri = await prosodyInvite(server);
    const out = await example("register-as-shipped.ts", [target, "invited", server.domain, uri], env);
    expect(out).toBe("this server takes invites\nregistered invited with the invite\n");
  });
});
