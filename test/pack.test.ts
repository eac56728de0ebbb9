// The packages as npm users get them: every workspace package packed, the tarballs installed into a fresh project
// outside the workspace, a strict TypeScript program type-checked against them (skipLibCheck: false) and run on the
// embedded server; attw and publint over every tarball (npm run check:packages).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Run, runChild } from "./support/run-child.js";
import { readSnippets } from "./support/snippets.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const fixtures = join(root, "test", "pack-consumer");
/** Guards against hangs only: packing and installing take seconds, but a loaded machine may take much longer. */
const PATIENCE = 10 * 60_000;

/** The environment of npm and node children: none of the npm run that started us, no --conditions from outside. */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(["npm_config_cache", "npm_config_registry", "npm_config_userconfig"]);
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.toLowerCase().startsWith("npm_") && !keep.has(key.toLowerCase())) continue;
    if (key === "NODE_OPTIONS") continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1" };
}

async function run(command: string, args: string[], cwd: string): Promise<Run> {
  const r = await runChild(command, args, { cwd, env: childEnv(), limit: PATIENCE });
  if (r.code !== 0) {
    throw new Error(`${command} ${args.join(" ")} exited ${r.code} in ${cwd}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** The version the workspace has installed, so the consumer gets the same one (from npm's cache when it can). */
function installedVersion(name: string): string {
  const require = createRequire(join(root, "package.json"));
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), "utf8")) as { version: string }).version;
}

/** require() of ES modules without a flag: Node.js 20.19+, 22.12+ and 23+. */
function hasRequireEsm(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major >= 23;
}

const workspacePackages = readdirSync(join(root, "packages"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe("published packages", () => {
  let tmp: string;
  let tarballs: string;
  let consumer: string;

  beforeAll(async () => {
    // scripts/test.mjs has built already; alone, this file builds (tsc -b is incremental).
    await run("npm", ["run", "build", "--silent"], root);
    tmp = mkdtempSync(join(tmpdir(), "reguser-pack-"));
    tarballs = join(tmp, "tarballs");
    consumer = join(tmp, "consumer");
    mkdirSync(tarballs);
    mkdirSync(consumer);
    // Each package by name: `--workspaces` would pack the private ones too (test/kit, never published).
    const workspaces = workspacePackages.flatMap((dir) => ["--workspace", `packages/${dir}`]);
    await run("npm", ["pack", ...workspaces, "--ignore-scripts", "--pack-destination", tarballs], root);

    writeFileSync(
      join(consumer, "package.json"),
      `${JSON.stringify({ name: "reguser-consumer", private: true, type: "module" }, null, 2)}\n`,
    );
    for (const file of readdirSync(fixtures)) copyFileSync(join(fixtures, file), join(consumer, file));
    const packed = readdirSync(tarballs)
      .filter((f) => f.endsWith(".tgz"))
      .map((f) => join(tarballs, f));
    await run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--prefer-offline",
        "--no-package-lock",
        ...packed,
        `typescript@${installedVersion("typescript")}`,
        `@types/node@${installedVersion("@types/node")}`,
        `@xmpp/client@${installedVersion("@xmpp/client")}`,
      ],
      consumer,
    );
  }, PATIENCE);

  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it("packs every workspace package, each with the root's LICENSE", () => {
    const names = readdirSync(tarballs).filter((f) => f.endsWith(".tgz"));
    expect(names).toHaveLength(workspacePackages.length);
    const license = readFileSync(join(root, "LICENSE"), "utf8");
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the reguser authors\n/);
    for (const dir of workspacePackages) {
      expect(readFileSync(join(root, "packages", dir, "LICENSE"), "utf8"), dir).toBe(license);
    }
  });

  it(
    "passes @arethetypeswrong/cli (esm-only), publint and the metadata rules: npm run check:packages",
    async () => {
      const r = await run("node", [join(root, "scripts", "check-packages.mjs"), tarballs], root);
      expect(r.stdout).toContain(
        `check:packages: ${workspacePackages.length} of ${workspacePackages.length} packages pass`,
      );
    },
    PATIENCE,
  );

  it("installs from the tarballs alone: no @types/xmpp__client, express or koa types come along", () => {
    const types = readdirSync(join(consumer, "node_modules", "@types"));
    expect(types).toContain("node");
    expect(types).not.toContain("xmpp__client");
    expect(types.filter((t) => /express|koa/.test(t))).toEqual([]);
  });

  it(
    "type-checks a strict program (nodenext, skipLibCheck: false) using reguser, @reguser/server and @reguser/xmppjs",
    async () => {
      const r = await runChild("node", [join(consumer, "node_modules", "typescript", "bin", "tsc"), "-p", "."], {
        cwd: consumer,
        env: childEnv(),
        limit: PATIENCE,
      });
      expect(`${r.stdout}${r.stderr}`).toBe("");
      expect(r.code).toBe(0);
    },
    PATIENCE,
  );

  it(
    "runs the facade program on the embedded server",
    async () => {
      const r = await run("node", ["dist/main.mjs"], consumer);
      expect(r.stdout.trim().split("\n")).toEqual([
        "inquiry: name email username password",
        "registered: consumer",
        "duplicate: ConflictError 409 conflict true",
        "login: consumer@localhost/pack-plain plain",
        "login: consumer@localhost/pack-digest digest",
        "login: consumer@localhost/pack-0k 0k",
        "wrong password: NotAuthorizedError",
      ]);
    },
    PATIENCE,
  );

  it(
    "runs the @xmpp/client program with @reguser/xmppjs on the embedded server",
    async () => {
      const r = await run("node", ["dist/xmppjs.mjs"], consumer);
      expect(r.stdout.trim().split("\n")).toEqual([
        "online: romeo@localhost/pack",
        "password changed",
        "removed: offline, accounts left: 0",
      ]);
    },
    PATIENCE,
  );

  it(
    "installs @reguser/gateway with its bin and a working SQLite store (better-sqlite3 built for this Node)",
    async () => {
      const help = await run(join(consumer, "node_modules", ".bin", "reguser-gateway"), ["--help"], consumer);
      expect(help.stdout).toContain("REGUSER_GATEWAY_PUBLIC_URL");
      const program =
        'import { sqliteStore } from "@reguser/gateway"; const s = sqliteStore({ path: ":memory:" });' +
        'console.log((await s.hit("k", 60000, Date.now())).count); await s.close();';
      writeFileSync(join(consumer, "gateway-store.mjs"), `${program}\n`);
      expect((await run("node", ["gateway-store.mjs"], consumer)).stdout.trim()).toBe("1");
    },
    PATIENCE,
  );

  // The two CommonJS blocks of README.md ("ESM only"), run as written from the consumer project.
  const cjsBlocks = readSnippets(root, join(root, "README.md")).filter((s) => s.runBy === "test/pack.test.ts");

  it("has README.md's two CommonJS blocks: import() and require(esm)", () => {
    expect(cjsBlocks.map((s) => s.code.includes("require(") && !s.code.includes("import("))).toEqual([false, true]);
  });

  it(
    "loads from CommonJS with a dynamic import(), as README.md shows",
    async () => {
      writeFileSync(join(consumer, "readme-import.cjs"), `${cjsBlocks[0]?.code}\n`);
      const r = await run("node", ["readme-import.cjs"], consumer);
      expect(r.stdout.trim()).toBe("function function");
    },
    PATIENCE,
  );

  it(
    "loads from CommonJS with require() where Node.js has require(esm), as README.md shows",
    async () => {
      writeFileSync(join(consumer, "readme-require.cjs"), `${cjsBlocks[1]?.code}\n`);
      const r = await runChild("node", ["readme-require.cjs"], { cwd: consumer, env: childEnv(), limit: PATIENCE });
      if (hasRequireEsm(process.versions.node)) {
        expect(r.stderr).not.toContain("ERR_REQUIRE");
        expect([r.code, r.stdout.trim()]).toEqual([0, "function function"]);
      } else {
        // Node.js 20.10–20.18: the README says to use import() there.
        expect(r.stderr).toContain("ERR_REQUIRE_ESM");
      }
    },
    PATIENCE,
  );
});
