// reguser bulk with a name repeated in its input: the repeat is refused as a row, and --out keeps the password
// the server actually registered (it once wrote the repeat's password over it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runMain } from "../packages/cli/test/helpers/run-main.js";
import { canLogIn } from "./support/can-log-in.js";

let server: EmbeddedServer;
let dir: string;
beforeAll(async () => {
  server = await startServer({});
  dir = mkdtempSync(join(tmpdir(), "reguser-dup-"));
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("refuses a row repeating a name still in progress, and --out holds the registered password", async () => {
  const csv = join(dir, "in.csv");
  const out = join(dir, "out.csv");
  // registerMany sends its first request alone and the next two as a pair (its lost-reply probe); from the fourth
  // row on the whole window is open, so both of ann's rows are read before the first one's reply can arrive.
  const fillers = ["f1,filler-pw-1", "f2,filler-pw-2", "f3,filler-pw-3"];
  writeFileSync(
    csv,
    ["username,password", ...fillers, "ann,first-pw-1", "ann,second-pw-2", "bob,third-pw-3", ""].join("\n"),
  );
  const target = [`${server.host}:${server.port}`, "--domain", server.domain];
  const run = await runMain(["bulk", ...target, "--csv", csv, "--out", out, "--no-progress"]);
  expect(run.code).toBe(1);
  expect(run.stdout + run.stderr).toContain("[Bulk] (ann) Error: the same name as an earlier row still in progress");
  const written = readFileSync(out, "utf8").trim().split("\n");
  expect(written.sort()).toEqual(["ann,first-pw-1", "bob,third-pw-3", ...fillers, "username,password"].sort());
  const options = { host: server.host, port: server.port, domain: server.domain, tls: "none" as const };
  expect(await canLogIn(options, "ann", "first-pw-1")).toBe(true);
  expect(await canLogIn(options, "ann", "second-pw-2")).toBe(false);
});
