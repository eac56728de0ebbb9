// The SQLite store: the shared contract on a file and in memory, then what only a file shows.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidOptionError } from "@reguser/errors";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayStoreError, GatewayStoreErrorCode, sqliteStore } from "../src/store/index.js";
import { openFailure } from "../src/store/sqlite-schema.js";
import { PURGE_BATCH } from "../src/store/sqlite-statements.js";
import { storeContract } from "./store-contract.js";

let dir: string;
let files = 0;
const nextFile = () => join(dir, `store-${++files}.db`);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "reguser-gateway-sqlite-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

storeContract("sqliteStore (file)", () => {
  const path = nextFile();
  return { shared: true, open: () => sqliteStore({ path }) };
});
storeContract("sqliteStore (:memory:)", () => ({ shared: false, open: () => sqliteStore({ path: ":memory:" }) }));

describe("sqliteStore on a file", () => {
  const now = Date.UTC(2026, 0, 1);
  const link = { purpose: "reset", username: "juliet", email: "j@example.org", client: "shop" } as const;

  it("creates its tables in WAL mode and keeps its state across a reopen", async () => {
    const path = nextFile();
    const first = sqliteStore({ path });
    await first.putLink("id-1", { ...link, expiresAt: now + 1000 });
    await first.recordAccount("juliet", { email: "j@example.org" });
    await first.close();
    const again = sqliteStore({ path });
    expect(await again.peekLink("id-1", now)).toStrictEqual({ ...link, expiresAt: now + 1000 });
    expect(await again.accountOf("juliet")).toStrictEqual({ email: "j@example.org" });
    await again.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("purges expired rows a bounded batch at a time as it counts hits", async () => {
    const path = nextFile();
    const store = sqliteStore({ path });
    for (let i = 0; i < PURGE_BATCH + 20; i++) await store.putLink(`old-${i}`, { ...link, expiresAt: now - 1 });
    await store.putLink("live", { ...link, expiresAt: now + 1000 });
    const db = new Database(path, { readonly: true });
    const count = () => (db.prepare("SELECT count(*) AS n FROM links").get() as { n: number }).n;
    expect(count()).toBe(PURGE_BATCH + 21);
    await store.hit("ip:192.0.2.1", 60_000, now);
    expect(count()).toBe(21);
    await store.hit("ip:192.0.2.1", 60_000, now);
    expect(count()).toBe(1);
    db.close();
    await store.close();
  });

  it("says which file it could not open, and what to check", () => {
    const path = join(dir, "no-such-dir", "gateway.db");
    expect(() => sqliteStore({ path })).toThrow(GatewayStoreError);
    expect(() => sqliteStore({ path })).toThrow(`cannot open the SQLite store at ${path}`);
    expect(() => sqliteStore({ path })).toThrow(/check that its directory exists/);
  });

  // better-sqlite3's own two failures to load its addon: none built (its loader, `bindings`, finds no file: the
  // install script did not run), and a file Node cannot load (here one that is not an addon, as its nativeBinding).
  async function addonLoadErrors(): Promise<unknown[]> {
    const errors: unknown[] = [];
    const bindings = createRequire(createRequire(import.meta.url).resolve("better-sqlite3"))("bindings");
    const emptyPackage = await mkdtemp(join(dir, "no-addon-"));
    await writeFile(join(emptyPackage, "package.json"), "{}");
    const notAnAddon = join(dir, "better_sqlite3.node");
    await writeFile(notAnAddon, "not an ELF file\n");
    for (const load of [
      () => bindings({ bindings: "better_sqlite3.node", module_root: emptyPackage }),
      () => new Database(":memory:", { nativeBinding: notAnAddon }),
    ]) {
      try {
        load();
      } catch (err) {
        errors.push(err);
      }
    }
    return errors;
  }

  it("says how to build better-sqlite3's native addon when it does not load (npm 12 skips unapproved install scripts)", async () => {
    const loadErrors = await addonLoadErrors();
    expect(loadErrors).toHaveLength(2);
    const path = join(dir, "gateway.db");
    for (const loadError of loadErrors) {
      const error = openFailure(path, loadError);
      expect(error).toBeInstanceOf(GatewayStoreError);
      expect(error.code).toBe(GatewayStoreErrorCode.Unavailable);
      expect(error.cause).toBe(loadError);
      expect(error.message).toContain(
        `cannot open the SQLite store at ${path}: better-sqlite3's native addon did not load`,
      );
      expect(error.message).toContain("npm install-scripts approve better-sqlite3");
      expect(error.message).toContain("npm rebuild better-sqlite3");
      expect(error.message).not.toContain("Tried:");
      expect(error.message).not.toContain("check that its directory exists");
    }
  });

  it("refuses a file that is not a database", async () => {
    const path = nextFile();
    await writeFile(path, "not a database, just some text that is long enough to look like a header ".repeat(20));
    let err: unknown;
    try {
      sqliteStore({ path });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GatewayStoreError);
    expect(err).toMatchObject({ code: GatewayStoreErrorCode.Unavailable, cause: expect.any(Database.SqliteError) });
    expect((err as Error).message).toContain(path);
  });

  it("turns a failing statement into a GatewayStoreError naming the file", async () => {
    const path = nextFile();
    const store = sqliteStore({ path });
    const other = new Database(path);
    other.exec("DROP TABLE links");
    other.close();
    const err = await store.peekLink("id-1", now).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayStoreError);
    expect(err).toMatchObject({ code: GatewayStoreErrorCode.Failed, cause: expect.any(Database.SqliteError) });
    expect((err as Error).message).toMatch(new RegExp(`^peekLink failed in the SQLite store at ${path}: `));
    await store.close();
  });

  it("refuses a missing path as an InvalidOptionError", () => {
    expect(() => sqliteStore({} as never)).toThrow(InvalidOptionError);
    expect(() => sqliteStore({ path: "" })).toThrow(/the "path" option must be a non-empty string/);
  });

  it("rejects a window that is not a positive whole number of milliseconds", async () => {
    const store = sqliteStore({ path: ":memory:" });
    await expect(store.hit("k", 0, now)).rejects.toThrow(RangeError);
    await expect(store.hit("k", 1.5, now)).rejects.toThrow(RangeError);
    await store.close();
  });
});
