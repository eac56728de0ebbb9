// The curl blocks of packages/gateway/README.md (and README.md), run as a reader would: `npm run gateway` in one
// terminal, each block in another, the link from the mail the gateway's terminal prints opened in between.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "./servers/ports.js";
import { canLogIn } from "./support/can-log-in.js";
import { pageClient } from "./support/gateway-fixture.js";
import { strongPassword } from "./support/names.js";
import { runChild } from "./support/run-child.js";
import { readSnippets } from "./support/snippets.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const THIS = "test/gateway-readme.test.ts";
const blocks = ["packages/gateway/README.md", "README.md"].flatMap((file) =>
  readSnippets(ROOT, file).filter((s) => s.runBy === THIS),
);
const creates = blocks.filter((s) => s.code.includes('"action":"create"'));
const resets = blocks.filter((s) => s.code.includes('"action":"reset_pass"'));

let demo: ChildProcess;
let output = "";
let xmppPort: number;

beforeAll(async () => {
  xmppPort = await freePort();
  demo = spawn("npm", ["run", "--silent", "gateway"], {
    cwd: ROOT,
    env: { ...process.env, XMPP_PORT: String(xmppPort) },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: Ctrl-C reaches npm, tsx and the script alike, as in a terminal.
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    const seen = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("gateway listening on http://127.0.0.1:8080")) resolve();
    };
    demo.stdout?.on("data", seen);
    demo.stderr?.on("data", (chunk) => (output += chunk));
    demo.once("exit", (code) => reject(new Error(`npm run gateway exited ${code}:\n${output}`)));
  });
});
afterAll(async () => {
  if (!demo || demo.exitCode !== null) return;
  const exited = once(demo, "exit");
  process.kill(-(demo.pid as number), "SIGINT");
  await exited;
});

/** Run one block as the README has it; its stdout. */
async function runBlock(code: string): Promise<string> {
  const run = await runChild("bash", ["-e", "-c", code], { cwd: ROOT, limit: 60_000 });
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

/** The next mail the demo printed to `to` after `from` characters of its output: its link. */
async function printedLink(to: string, from: number): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const printed = output.slice(from);
    const mail = printed.indexOf(`--- mail to ${to}`);
    const link =
      mail >= 0 ? /http:\/\/127\.0\.0\.1:8080\/set-password\?t=\S+/.exec(printed.slice(mail))?.[0] : undefined;
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no mail to ${to} printed:\n${output}`);
}

it("finds the seed's two calls in the READMEs", () => {
  expect(creates.length).toBeGreaterThanOrEqual(1);
  expect(resets.length).toBe(creates.length);
});

it("create, the link, then reset_pass, as the README tells it", async () => {
  for (const [index, create] of creates.entries()) {
    // Each README's block names juliet: the second run meets the account the first one made.
    const mark = output.length;
    const answer = JSON.parse(await runBlock(create.code));
    if (index > 0) {
      expect(answer).toMatchObject({ status: "error", error: "taken" });
      continue;
    }
    expect(answer).toMatchObject({ status: "ok", action: "create" });
    const link = await printedLink("juliet@example.org", mark);
    const browser = pageClient("http://127.0.0.1:8080");
    const form = await browser.get(link);
    const password = strongPassword();
    const done = await browser.post("set-password", { ...form.fields, password, confirm: password });
    expect(done.html).toContain("juliet@localhost");
    const xmpp = { host: "127.0.0.1", port: xmppPort, domain: "localhost", timeout: 20_000 };
    expect(await canLogIn(xmpp, "juliet", password)).toBe(true);
  }
  for (const reset of resets) {
    const mark = output.length;
    expect(JSON.parse(await runBlock(reset.code))).toMatchObject({ status: "ok", action: "reset_pass" });
    expect(await printedLink("juliet@example.org", mark)).toMatch(/set-password\?t=/);
  }
});
