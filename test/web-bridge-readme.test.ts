// The curl block of packages/web-bridge/README.md, run as a reader would: `npm run web-bridge` in one terminal,
// the block in another. Its output must show what the README says it shows.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "./servers/ports.js";
import { runChild } from "./support/run-child.js";
import { readSnippets } from "./support/snippets.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const blocks = readSnippets(ROOT, "packages/web-bridge/README.md").filter(
  (s) => s.runBy === "test/web-bridge-readme.test.ts",
);

let demo: ChildProcess;
let output = "";

beforeAll(async () => {
  demo = spawn("npm", ["run", "--silent", "web-bridge"], {
    cwd: ROOT,
    env: { ...process.env, XMPP_PORT: String(await freePort()) },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group: Ctrl-C reaches npm, tsx and the script alike, as in a terminal.
    detached: true,
  });
  await new Promise<void>((resolve, reject) => {
    demo.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes("bridge listening on http://127.0.0.1:8090")) resolve();
    });
    demo.stderr?.on("data", (chunk) => (output += chunk));
    demo.once("exit", (code) => reject(new Error(`npm run web-bridge exited ${code}:\n${output}`)));
  });
});
afterAll(async () => {
  if (!demo || demo.exitCode !== null) return;
  const exited = once(demo, "exit");
  process.kill(-(demo.pid as number), "SIGINT");
  await exited;
});

it("finds the README's curl block", () => {
  expect(blocks).toHaveLength(1);
});

it("logs in, streams onConnect, bob's presence and his echo, then logs out", async () => {
  const run = await runChild("bash", ["-e", "-c", blocks[0]?.code as string], { cwd: ROOT, limit: 60_000 });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('event: onConnect\ndata: {"username":"alice","name":null,"email":null}');
  expect(run.stdout).toContain(
    'event: chatapi.presence\ndata: {"from":"bob@localhost/echo","type":"available","show":null,"status":null}',
  );
  expect(run.stdout).toMatch(
    /event: chatapi\.chat\ndata: \{"type":"chat","from":"bob@localhost\/echo","to":"alice@localhost\/web-[0-9a-f]+","body":"echo: hello \\"bob\\""\}/,
  );
  expect(output).toContain('"type":"session_ended","username":"alice","detail":"logout"');
});
