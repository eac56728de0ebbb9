// The web bridge's curl blocks (packages/web-bridge/README.md and the root README), run as a reader would: `npm run
// web-bridge` in one terminal, each block in another. Their output must show what the READMEs say it shows.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "./servers/ports.js";
import { runChild } from "./support/run-child.js";
import { readSnippets } from "./support/snippets.js";
import { waitFor } from "./support/wait-for.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const READMES = ["packages/web-bridge/README.md", "README.md"];
const blocks = READMES.flatMap((file) =>
  readSnippets(ROOT, file)
    .filter((s) => s.runBy === "test/web-bridge-readme.test.ts")
    .map((s) => ({ file, code: s.code })),
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

it("finds a curl block in each README", () => {
  expect(blocks.map((b) => b.file)).toEqual(READMES);
});

it.each(READMES)("%s: logs in, streams onConnect, bob's presence and his echo, then logs out", async (file) => {
  const code = blocks.find((b) => b.file === file)?.code;
  expect(code, `no curl block in ${file}`).toBeDefined();
  const before = output.length;
  const run = await runChild("bash", ["-e", "-c", code as string], { cwd: ROOT, limit: 60_000 });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).toContain('event: onConnect\ndata: {"username":"alice","name":null,"email":null}');
  expect(run.stdout).toContain(
    'event: chatapi.presence\ndata: {"from":"bob@localhost/echo","type":"available","show":null,"status":null}',
  );
  expect(run.stdout).toMatch(
    /event: chatapi\.chat\ndata: \{"type":"chat","from":"bob@localhost\/echo","to":"alice@localhost\/web-[0-9a-f]+","body":"echo: hello \\"bob\\""\}/,
  );
  const loggedOut = '"type":"session_ended","username":"alice","detail":"logout"';
  await waitFor(() => output.slice(before).includes(loggedOut));
  expect(output.slice(before)).toContain(loggedOut);
});
