// The seed's page, as the bridge serves it, in a real browser (Debian's chromium through playwright-core) over real
// Prosody: log in, a second account (an @xmpp/client session registered through @reguser/xmppjs) sends presence
// and a chat, the page shows them; logout ends the event stream.
import { existsSync } from "node:fs";
import { registerThenLogin } from "@reguser/xmppjs";
import { client, xml } from "@xmpp/client";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { type BridgeFixture, startBridge } from "./support/bridge-fixture.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { prosody } from "./support/real-targets.js";

const CHROMIUM = "/usr/bin/chromium";
const inChromium = {
  name: "the bridge's example page in Chromium, over Prosody",
  unavailable: () =>
    prosody.unavailable() ??
    (existsSync(CHROMIUM) ? undefined : "chromium is not installed (apt-get install chromium)"),
};

describeTarget(inChromium, () => {
  let server: RunningServer;
  let gw: BridgeFixture;
  let browser: Browser;
  const user = { username: uniqueName("tab"), password: strongPassword() };
  beforeAll(async () => {
    server = await startServer("prosody", { users: [user] });
    gw = await startBridge({ service: `xmpp://${server.host}:${server.port}`, domain: server.domain });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await server?.stop();
  });

  it("logs in, shows presence and a chat sent from another account, and logout ends the stream", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(String(e)));
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    const peerAccount = { username: uniqueName("peer"), password: strongPassword() };
    const peer = client({
      service: `xmpp://${server.host}:${server.port}`,
      domain: server.domain,
      resource: "peer",
      ...peerAccount,
    });
    peer.on("error", () => {});
    try {
      await page.goto(gw.url);
      await page.getByLabel("Username").fill(user.username);
      await page.getByLabel("Password").fill(user.password);
      await page.getByRole("button", { name: "Login" }).click();
      const status = page.locator("#status");
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe(`User ${user.username} (null) Signed In`);

      await registerThenLogin(peer, peerAccount);
      const jid = `${user.username}@${server.domain}`;
      await peer.send(xml("presence", { to: jid }, xml("show", {}, "away")));
      await expect
        .poll(() => page.locator("#presence").textContent(), { timeout: 30_000 })
        .toBe(`${peerAccount.username}@${server.domain}/peer is away`);
      const body = 'hello "tab" </script><b>not bold</b> 🔑';
      await peer.send(xml("message", { to: jid, type: "chat" }, xml("body", {}, body)));
      await expect
        .poll(() => status.textContent(), { timeout: 30_000 })
        .toBe(`chat ${peerAccount.username}@${server.domain}/peer - ${body}`);
      expect(await page.locator("#status b").count()).toBe(0);

      await page.getByRole("button", { name: "Logout" }).click();
      await expect
        .poll(
          () => page.evaluate(() => (globalThis as unknown as { source: { readyState: number } }).source.readyState),
          {
            timeout: 30_000,
          },
        )
        .not.toBe(1);
      for (let i = 0; i < 200 && gw.bridge.sessions > 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(gw.bridge.sessions).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
      await peer.stop().catch(() => {});
    }
  });
});
