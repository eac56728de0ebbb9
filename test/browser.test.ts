// A real browser (Debian's chromium through playwright-core): a page served on 127.0.0.1 registers on a real
// ejabberd over WebSocket, meets a typed 409, logs in with a digest (Web Crypto), meets a typed SASLprep refusal,
// changes the password to a non-ASCII one (SASLprep's tables, bundled without a page-global Buffer), logs in with it
// and removes the account. The page's script is bundled from the packages' built dist/ with their `browser` condition, so no
// Node built-in can reach it: esbuild refuses one for the browser platform.
import { existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { ejabberd } from "./support/real-targets.js";

const CHROMIUM = "/usr/bin/chromium";
const PAGE = fileURLToPath(new URL("browser/page.mjs", import.meta.url));
const HTML = `<!doctype html><meta charset="utf-8"><title>reguser</title><pre id="out">running</pre>
<script type="module" src="/page.js"></script>`;

const inChromium = {
  name: "ejabberd in Chromium",
  unavailable: () =>
    ejabberd.unavailable() ??
    (existsSync(CHROMIUM) ? undefined : "chromium is not installed (apt-get install chromium)"),
};

describeTarget(inChromium, () => {
  let server: RunningServer;
  let web: http.Server;
  let origin: string;
  let browser: Browser;
  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [PAGE],
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      conditions: ["browser"],
      logLevel: "silent",
    });
    const script = bundle.outputFiles[0]?.text ?? "";
    web = http.createServer((request, response) => {
      const js = request.url === "/page.js";
      response.writeHead(200, { "content-type": js ? "text/javascript" : "text/html" });
      response.end(js ? script : HTML);
    });
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    server = await startServer("ejabberd", { webSocket: true });
    // Root may not sandbox Chromium; the page is our own.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
    web?.closeAllConnections();
    await new Promise<void>((resolve) => (web ? web.close(() => resolve()) : resolve()));
    await server?.stop();
  });

  it("registers, shows a typed 409, logs in with a digest, changes to a non-ASCII password and removes the account", async () => {
    const username = uniqueName("page");
    const password = strongPassword();
    const page = await browser.newPage();
    try {
      const query = new URLSearchParams({
        ws: server.webSocketUrl as string,
        domain: server.domain,
        user: username,
        password,
      });
      await page.goto(`${origin}/?${query}`);
      await page.waitForFunction(() => (globalThis as { __results?: unknown }).__results !== undefined, undefined, {
        timeout: 60_000,
      });
      const results = (await page.evaluate(() => (globalThis as { __results?: unknown }).__results)) as {
        steps: Array<Record<string, unknown>>;
        error?: unknown;
        bufferGlobal?: string;
      };
      expect(results.error).toBeUndefined();
      expect(results.steps.map((s) => s.name)).toEqual([
        "open",
        "inquire",
        "register",
        "conflict",
        "login",
        "refused",
        "change",
        "relogin",
        "remove",
      ]);
      expect(results.steps[0]).toMatchObject({ transport: "websocket", secure: false });
      expect(results.steps[3]).toMatchObject({ error: "ConflictError", code: 409, condition: "conflict", typed: true });
      expect(results.steps[4]).toMatchObject({ jid: `${username}@${server.domain}/page`, method: "digest" });
      expect(results.steps[5]).toMatchObject({ error: "PasswordPreparationError", typed: true });
      expect(results.steps[7]).toMatchObject({ jid: `${username}@${server.domain}/again` });
      expect(results.steps[8]).toMatchObject({ closed: true });
      expect(results.bufferGlobal).toBe("undefined");
      expect(await page.textContent("#out")).toContain('"ConflictError"');
      // Gone on the server too: no password logs in any more.
      const tcp = connectTo(server);
      expect(await canLogIn(tcp, username, `${password}-Grüße-密码`)).toBe(false);
      expect(await canLogIn(tcp, username, password)).toBe(false);
    } finally {
      await page.close();
    }
  });
});
