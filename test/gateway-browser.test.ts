// The gateway's pages in a real browser (Debian's chromium through playwright-core), over real Prosody: fill in the
// sign-up form, the mail arrives at a real SMTP server, open its link, choose a password (the page's script refuses
// two that differ), and the account logs in through reguser.
import { existsSync } from "node:fs";
import { xep0133Provisioner } from "@reguser/admin";
import type { Provisioner } from "@reguser/register";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { type GatewayFixture, startGateway } from "./support/gateway-fixture.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { prosody } from "./support/real-targets.js";

const CHROMIUM = "/usr/bin/chromium";
const ADMIN = { username: "gateway-admin", password: "gateway-admin-password-1" };

const inChromium = {
  name: "the gateway's pages in Chromium, over Prosody",
  unavailable: () =>
    prosody.unavailable() ??
    (existsSync(CHROMIUM) ? undefined : "chromium is not installed (apt-get install chromium)"),
};

describeTarget(inChromium, () => {
  let server: RunningServer;
  let provisioner: Provisioner;
  let gw: GatewayFixture;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer("prosody", { allowRegistration: false, admins: [ADMIN] });
    provisioner = xep0133Provisioner({ connect: connectTo(server), admin: ADMIN });
    gw = await startGateway(provisioner, server.domain);
    // Root may not sandbox Chromium; the pages are our own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
    await provisioner?.close();
    await server?.stop();
  });

  it("sign-up form → mail → link → password → the account logs in on Prosody", async () => {
    const username = uniqueName("web");
    const email = `${username}@mail.example.org`;
    const password = strongPassword();
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
    page.on("pageerror", (e) => problems.push(String(e)));
    try {
      await page.goto(`${gw.url}/signup`);
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("E-mail address").fill(email);
      await page.getByLabel("Your name (optional)").fill("Wendy Web");
      await page.getByRole("button", { name: "Send me the link" }).click();
      await expect.poll(() => page.getByRole("status").textContent(), { timeout: 30_000 }).toContain("Check your mail");

      const mail = await gw.sink.next(email);
      expect(mail.subject).toBe(`Confirm your chat account ${username}@${server.domain}`);
      await page.goto(mail.link as string);
      expect(await page.textContent("body")).toContain(`${username}@${server.domain}`);

      // Two passwords that differ: the page's script stops the form, nothing is sent.
      await page.getByLabel("Password", { exact: true }).fill(password);
      await page.getByLabel("The same password again").fill(`${password}-typo`);
      await page.getByRole("button", { name: "Create my account" }).click();
      expect(await page.locator("#field-confirm:invalid").count()).toBe(1);
      expect(gw.events.some((e) => e.type === "account_created")).toBe(false);

      await page.getByLabel("The same password again").fill(password);
      await page.getByRole("button", { name: "Create my account" }).click();
      await expect.poll(() => page.getByRole("status").textContent(), { timeout: 30_000 }).toContain("is ready");
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
    expect(await canLogIn(connectTo(server), username, password)).toBe(true);
    await provisioner.removeUser(username);
  });
});
