// The CLI over WebSocket: a ws:// URL in place of host[:port], against the embedded server's WebSocket endpoint.
import { type EmbeddedServer, startServer } from "@reguser/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runMain } from "../packages/cli/test/helpers/run-main.js";
import { canLogIn } from "./support/can-log-in.js";

let server: EmbeddedServer;
beforeAll(async () => {
  server = await startServer({ webSocketPort: 0 });
});
afterAll(async () => {
  await server?.close();
});

it("asks for the fields, registers, and bulk-registers over a ws:// URL", async () => {
  const url = server.webSocketUrl as string;
  const inquiry = await runMain([url, "--domain", server.domain]);
  expect(inquiry).toMatchObject({ code: 0 });
  expect(inquiry.stdout).toMatch(/^\[Inquiry\] Fields: .*username password/);
  const attempt = await runMain([url, "--domain", server.domain, "username=wscli", "--password-stdin"], {
    input: "wscli-password-1\n",
  });
  expect(attempt).toMatchObject({ code: 0, stdout: "[Attempt] (wscli) Successful registration\n" });
  const tcp = { host: server.host, port: server.port, domain: server.domain, tls: "none" as const };
  expect(await canLogIn(tcp, "wscli", "wscli-password-1")).toBe(true);
  const bulk = await runMain([
    "bulk",
    url,
    "--domain",
    server.domain,
    "--pattern",
    "ws{1..20}",
    "--password-template",
    "pw-{user}-x",
    "--no-progress",
  ]);
  expect(bulk.code).toBe(0);
  expect(bulk.stdout).toMatch(/\[Bulk\] ok 20, failed 0/);
  expect(server.users.has("ws20")).toBe(true);
});

it("refuses TCP-only flags beside a URL, with exit status 2", async () => {
  const run = await runMain([server.webSocketUrl as string, "--tls", "starttls", "username=x"]);
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/--tls does not apply to a WebSocket URL/);
});
