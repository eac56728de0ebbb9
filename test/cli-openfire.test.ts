// reguser --admin openfire-userservice|openfire-restapi: main() in-process, the embedded server with in-band
// registration off (it answers 501), and the fake Openfire plugins of @reguser/admin's tests as the admin path.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeRestApi, startFakeRestApi } from "../packages/admin/test/helpers/fake-rest-api.js";
import { type FakeUserService, startFakeUserService } from "../packages/admin/test/helpers/fake-user-service.js";
import { type Run, runMain } from "../packages/cli/test/helpers/run-main.js";
import { BIN, buildCli } from "./support/cli-binary.js";
import { outputPattern, runTranscript, transcript } from "./support/readme-transcript.js";

const SECRET = "of-s3cr&t=+/ü%20";
const WRONG = "not-the-s3cret/ü";

/** No secret in any form a URL or JSON would give it. */
function expectNoSecrets(run: Run, ...secrets: string[]): void {
  const text = run.stdout + run.stderr;
  for (const secret of [SECRET, WRONG, ...secrets]) {
    for (const form of [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]) {
      expect(text).not.toContain(form);
    }
  }
}

let server: EmbeddedServer;
let at: (...rest: string[]) => string[];
beforeAll(async () => {
  server = await startServer({ registration: false });
  at = (...rest) => [`${server.host}:${server.port}`, "--domain", server.domain, ...rest];
});
afterAll(() => server?.close());

describe("--admin openfire-userservice", () => {
  let fake: FakeUserService;
  let admin: string[];
  beforeAll(async () => {
    fake = await startFakeUserService({ secret: SECRET });
    admin = ["--admin", "openfire-userservice", "--admin-url", fake.url];
  });
  afterEach(() => expect(fake.violations).toEqual([]));
  afterAll(() => fake?.close());

  it("book falls back to the User Service, then passwd and remove go through it", async () => {
    const env = { REGUSER_ADMIN_SECRET: SECRET };
    const book = await runMain(at("username=kafka", "name=Franz K", "--password-stdin", ...admin), {
      input: "first-Pa55word\n",
      env,
    });
    expect(book.stdout).toBe(
      "[Attempt] (kafka) In-band registration refused: 501 (Not Implemented); " +
        `using --admin openfire-userservice at ${fake.url}\n[Attempt] (kafka) Successful registration (via admin)\n`,
    );
    expect(book.code).toBe(0);
    expect(fake.openfire.users.get("kafka")).toMatchObject({ password: "first-Pa55word", name: "Franz K" });

    // The secret from stdin this time: the line after the account's new password.
    const passwd = await runMain(["passwd", ...at("kafka", "--password-stdin"), ...admin, "--admin-password-stdin"], {
      input: `second-Pa55word\n${SECRET}\n`,
    });
    expect(passwd).toEqual({ code: 0, stdout: "[Passwd] (kafka) Password changed (via admin)\n", stderr: "" });
    expect(fake.openfire.users.get("kafka")?.password).toBe("second-Pa55word");

    const remove = await runMain(["remove", ...at("kafka", "--json"), ...admin], { env });
    expect(JSON.parse(remove.stdout)).toEqual({
      command: "remove",
      ok: true,
      username: "kafka",
      removed: true,
      via: "admin",
    });
    expect(fake.openfire.users.has("kafka")).toBe(false);
    for (const run of [book, passwd, remove]) expectNoSecrets(run, "first-Pa55word", "second-Pa55word");
  });

  it("a wrong secret: exit 1, the admin credential named as what failed, no secret echoed", async () => {
    const run = await runMain(at("username=brod", "--password-stdin", ...admin, "--admin-only"), {
      input: "brod-Pa55word\n",
      env: { REGUSER_ADMIN_SECRET: WRONG },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^\[Attempt\] \(brod\) Error: 401 \(the admin credential was refused \(--admin openfire-userservice at http:\/\/127\.0\.0\.1:\d+\): .*request not authorised/,
    );
    expect(fake.openfire.users.has("brod")).toBe(false);
    expectNoSecrets(run, "brod-Pa55word");
  });
});

describe("--admin openfire-restapi", () => {
  let fake: FakeRestApi;
  let admin: string[];
  beforeAll(async () => {
    fake = await startFakeRestApi({ secret: SECRET });
    admin = ["--admin", "openfire-restapi", "--admin-url", fake.url, "--admin-secret-env", "OPENFIRE_REST_SECRET"];
  });
  afterEach(() => expect(fake.violations).toEqual([]));
  afterAll(() => fake?.close());

  it("bulk falls back to the REST API for every account; a taken name is a 409 like in-band", async () => {
    const env = { OPENFIRE_REST_SECRET: SECRET };
    const bulk = await runMain(
      ["bulk", ...at("--pattern", "jl{1..5}", "--password-template", "pw-{user}-rest", "--json"), ...admin],
      { env },
    );
    expect(JSON.parse(bulk.stdout)).toMatchObject({
      command: "bulk",
      ok: true,
      registered: 5,
      failed: 0,
      viaAdmin: 5,
      via: "admin",
      inBandRefused: { name: "FeatureNotImplementedError", code: 501 },
    });
    expect(bulk.code).toBe(0);
    expect([...fake.openfire.users.keys()].sort()).toEqual(["jl1", "jl2", "jl3", "jl4", "jl5"]);
    expect(fake.openfire.users.get("jl3")?.password).toBe("pw-jl3-rest");

    const again = await runMain(at("username=jl3", "--password-stdin", ...admin), { input: "other-Pa55word\n", env });
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/\n\[Attempt\] \(jl3\) Error: 409 \(Openfire REST API createUser "jl3": .*\)\n$/);
    expect(fake.openfire.users.get("jl3")?.password).toBe("pw-jl3-rest");
    for (const run of [bulk, again]) expectNoSecrets(run, "other-Pa55word");
  });

  it("the README's Openfire transcript runs as written, the built binary against the fake plugin", async () => {
    buildCli();
    const dir = mkdtempSync(join(tmpdir(), "reguser-cli-openfire-"));
    try {
      const readme = readFileSync(new URL("../packages/cli/README.md", import.meta.url), "utf8");
      const [step, ...more] = transcript(readme, "--admin openfire-restapi");
      expect(more).toEqual([]);
      const [run] = await runTranscript([step!], {
        bin: BIN,
        cwd: dir,
        env: { REGUSER_ADMIN_SECRET: SECRET, PASSWORD: "kafka-Pa55word" },
        rewrite: (command) => command.replaceAll("http://openfire.example:9090", fake.url),
      });
      expect(run).toMatchObject({ code: 0, stdout: expect.stringMatching(outputPattern(run!.expected)), stderr: "" });
      expect(fake.openfire.users.get("kafka")?.password).toBe("kafka-Pa55word");
      expectNoSecrets({ code: 0, stdout: run!.stdout, stderr: run!.stderr }, "kafka-Pa55word");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a wrong secret: exit 1 and AdminCredentialError in JSON, no secret echoed", async () => {
    const run = await runMain(["remove", ...at("jl1", "--json"), ...admin], { env: { OPENFIRE_REST_SECRET: WRONG } });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      command: "remove",
      ok: false,
      username: "jl1",
      error: { name: "AdminCredentialError", code: 401, condition: "not-authorized" },
    });
    expect(fake.openfire.users.has("jl1")).toBe(true);
    expectNoSecrets(run);
  });
});
