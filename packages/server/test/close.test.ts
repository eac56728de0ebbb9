// close() leaves nothing behind: a process that started a server, had clients, and closed it exits by itself.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("lets the process exit after close(), with connections and auth timers pending", async () => {
  const script = fileURLToPath(new URL("./fixtures/exit-after-close.ts", import.meta.url));
  const started = Date.now();
  const { stdout } = await promisify(execFile)("npx", ["tsx", "--conditions=@reguser/source", script], {
    timeout: 20_000,
  });
  expect(stdout.trim()).toBe("closed");
  // Well under the 60 s auth timeout: nothing waited for it.
  expect(Date.now() - started).toBeLessThan(15_000);
}, 25_000);
