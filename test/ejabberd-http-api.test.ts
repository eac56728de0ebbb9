// @reguser/admin's ejabberd HTTP API backend on a real ejabberd 23.01 with in-band registration off: its listener,
// api_permissions and admin from the harness's `httpApi: true` (docs/provisioning.md#41-ejabberd-http-api). Also
// runs the ejabberd example of packages/admin/README.md.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import * as adminPackage from "@reguser/admin";
import { EjabberdConfigurationError, type EjabberdHttpApiOptions, ejabberdHttpApiProvisioner } from "@reguser/admin";
import {
  ConflictError,
  ForbiddenError,
  ItemNotFoundError,
  NotAcceptableError,
  NotAuthorizedError,
  type OpenStreamOptions,
} from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { describeTarget } from "./support/describe-target.js";
import { ejabberd } from "./support/real-targets.js";

const ADMIN = { username: "admin", password: "admin-Pässword-1" };
const WORKER = { username: "worker", password: "worker-password-1" };

describeTarget(ejabberd, () => {
  let server: RunningServer;
  let connect: OpenStreamOptions;
  const made: { close(): Promise<void> }[] = [];
  /** Every secret the tests send: no error may hold one. */
  const secrets = new Set([ADMIN.password, WORKER.password]);

  const provisioner = (extra: Partial<EjabberdHttpApiOptions> = {}) => {
    const options = { baseUrl: server.httpApiUrl ?? "", host: server.domain, admin: server.httpApiAdmin!, ...extra };
    secrets.add(options.admin.password);
    const api = ejabberdHttpApiProvisioner(options);
    made.push(api);
    return api;
  };
  /** The rejection, which must hold no secret sent so far: not in its JSON, String, inspect or stack. */
  const refusal = async (promise: Promise<unknown>) => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(err instanceof Error)) throw new Error(`expected a rejection, got ${String(err)}`);
    const forms = [...secrets].flatMap((s) => [
      s,
      encodeURIComponent(s),
      JSON.stringify(s).slice(1, -1),
      ...["admin@localhost", "worker@localhost"].map((jid) => Buffer.from(`${jid}:${s}`).toString("base64")),
    ]);
    const texts = [JSON.stringify(err), String(err), inspect(err, { depth: 12, showHidden: true }), err.stack ?? ""];
    for (const text of texts) for (const form of forms) expect(text, `${err.name} holds a secret`).not.toContain(form);
    return err;
  };
  const password = (text: string) => {
    secrets.add(text);
    return text;
  };

  beforeAll(async () => {
    server = await startServer("ejabberd", {
      allowRegistration: false,
      httpApi: true,
      admins: [ADMIN],
      users: [WORKER],
    });
    connect = { host: server.host, port: server.port, domain: server.domain };
  });
  afterAll(async () => {
    await Promise.all(made.map((p) => p.close()));
    await server?.stop();
  });

  it("the harness exposes the API on 127.0.0.1 and the admin by JID", () => {
    expect(server.httpApiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.httpApiAdmin).toEqual({ jid: "admin@localhost", password: ADMIN.password });
  });

  it("creates, finds, re-passwords and removes a user; a duplicate, a second removal and a missing user are typed", async () => {
    const api = provisioner();
    const first = password("first-Pässword-1");
    const second = password("second-Pässword-2");
    await api.createUser({ username: "made1", password: first, name: "Not Kept", email: "made1@example.org" });
    expect(await api.userExists("made1")).toBe(true);
    expect(await canLogIn(connect, "made1", first)).toBe(true);
    expect(await refusal(api.createUser({ username: "made1", password: second }))).toBeInstanceOf(ConflictError);
    await api.changePassword({ username: "made1", password: second });
    expect(await canLogIn(connect, "made1", first)).toBe(false);
    expect(await canLogIn(connect, "made1", second)).toBe(true);
    await api.removeUser("made1");
    expect(await api.userExists("made1")).toBe(false);
    expect(await canLogIn(connect, "made1", second)).toBe(false);
    // unregister would answer 200 again: check_account says there is nothing to remove.
    const again = await refusal(api.removeUser("made1"));
    expect(again).toBeInstanceOf(ItemNotFoundError);
    expect(again.message).toContain("no account made1@localhost");
    const missing = await refusal(api.changePassword({ username: "made1", password: second }));
    expect(missing).toBeInstanceOf(ItemNotFoundError);
  });

  it("a password ejabberd will not store is NotAcceptableError, on create and on change", async () => {
    const api = provisioner();
    const unassigned = password("emoji-😀-is-not-in-Unicode-3.2");
    expect(await refusal(api.createUser({ username: "made2", password: unassigned }))).toBeInstanceOf(
      NotAcceptableError,
    );
    expect(await api.userExists("made2")).toBe(false);
    await api.createUser({ username: "made2", password: password("made2-password-1") });
    expect(await refusal(api.changePassword({ username: "made2", password: unassigned }))).toBeInstanceOf(
      NotAcceptableError,
    );
    await api.removeUser("made2");
  });

  it("a wrong admin password is NotAuthorizedError with a hint about the admin credentials", async () => {
    const api = provisioner({ admin: { jid: "admin@localhost", password: "not-the-admins-password" } });
    const err = await refusal(api.userExists("worker"));
    expect(err).toBeInstanceOf(NotAuthorizedError);
    expect(err.message).toContain("did not accept the admin credentials");
  });

  it("an account outside the admin acl is ForbiddenError saying what api_permissions needs", async () => {
    const api = provisioner({ admin: { username: WORKER.username, password: WORKER.password } });
    const err = await refusal(api.createUser({ username: "sneaky", password: password("sneaky-password-1") }));
    expect(err).toBeInstanceOf(ForbiddenError);
    expect(err.message).toContain("from: [mod_http_api], who: {access: {allow: [{acl: admin}]}}");
    expect(err.message).toContain("list worker@localhost in the admin acl");
    expect(await provisioner().userExists("sneaky")).toBe(false);
  });

  it("a host ejabberd does not serve is EjabberdConfigurationError naming the host option", async () => {
    const api = provisioner({ host: "nowhere.example" });
    const err = await refusal(api.createUser({ username: "made3", password: password("made3-password-1") }));
    expect(err).toBeInstanceOf(EjabberdConfigurationError);
    expect(err).toMatchObject({ status: 500, code: 10001 });
    expect(err.message).toContain('the "host" option ("nowhere.example")');
    // check_account cannot tell such a host from a missing user (docs/provisioning.md#413-traps).
    expect(await api.userExists("worker")).toBe(false);
  });

  it("a baseUrl where mod_http_api does not answer is EjabberdConfigurationError", async () => {
    const nowhere = await refusal(provisioner({ baseUrl: `${server.httpApiUrl}/elsewhere` }).userExists("worker"));
    expect(nowhere).toBeInstanceOf(EjabberdConfigurationError);
    expect(nowhere.message).toContain("request_handlers: {/api: mod_http_api}");
    const doubled = await refusal(provisioner({ baseUrl: `${server.httpApiUrl}/api` }).userExists("worker"));
    expect(doubled).toBeInstanceOf(EjabberdConfigurationError);
    expect(doubled.message).toContain("without /api");
  });

  it("runs the ejabberd example of packages/admin/README.md as written", async () => {
    const readme = readFileSync(new URL("../packages/admin/README.md", import.meta.url), "utf8");
    const code = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
      .map((m) => m[1] as string)
      .find((block) => block.includes("ejabberdHttpApiProvisioner("));
    if (!code) throw new Error("packages/admin/README.md has no ejabberdHttpApiProvisioner example");
    // Plain JavaScript apart from the import, which becomes a destructuring of the package.
    const body = code.replace(/^import \{([^}]+)\} from "@reguser\/admin";$/m, "const {$1} = __package;");
    type Run = (pkg: typeof adminPackage, process: unknown, console: unknown) => Promise<void>;
    const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Run;
    const logged: unknown[] = [];
    const env = { EJABBERD_API_URL: server.httpApiUrl, EJABBERD_ADMIN_PASSWORD: ADMIN.password };
    await new AsyncFunction("__package", "process", "console", body)(
      adminPackage,
      { env },
      { log: (...values: unknown[]) => logged.push(...values) },
    );
    expect(logged).toEqual([true]);
    expect(await provisioner().userExists("juliet")).toBe(false);
  });
});
