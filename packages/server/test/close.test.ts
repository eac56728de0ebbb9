// close() leaves nothing behind: a process that started a server, had clients, and closed it exits by itself.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("lets the process exit after close(), with connections and auth timers pending", async () => {
  const script = fileURLToPath(new URL("./fixtures/exit-after-close.ts", import.meta.url));
  const { stdout } = await promisify(execFile)("npx", ["tsx", "--conditions=@reguser/source", script], {
    // Far under the fixture's 10-minute auth timeout: a process still waiting for it is killed here and fails.
    timeout: 120_000,
  });
  expect(stdout.trim()).toBe("closed");
}, 150_000);
