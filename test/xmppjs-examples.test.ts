// The @reguser/xmppjs example runs as written against a real Prosody.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { describeTarget } from "./support/describe-target.js";
import { prosody } from "./support/real-targets.js";

const run = promisify(execFile);

describeTarget(prosody, () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer("prosody");
  });
  afterAll(() => server?.stop());

  it("packages/xmppjs/examples/account-lifecycle.ts runs every feature", async () => {
    const { stdout } = await run(
      "npx",
      [
        "tsx",
        "--conditions=@reguser/source",
        "packages/xmppjs/examples/account-lifecycle.ts",
        `xmpp://${server.host}:${server.port}`,
        server.domain,
      ],
      { timeout: 30_000 },
    );
    expect(stdout).toMatch(/registered and online as demo[0-9a-f]{8}@localhost\/demo/);
    expect(stdout).toMatch(/taken: .*\(409 conflict\)/);
    expect(stdout).toContain("password changed");
    expect(stdout).toMatch(/non-SASL login as demo[0-9a-f]{8}@localhost\/legacy with plain/);
    expect(stdout).toContain("removed; client offline");
    expect(stdout).toMatch(/registered on the stream and online as demo[0-9a-f]{8}@localhost\/demo/);
  });
});
