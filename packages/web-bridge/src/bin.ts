#!/usr/bin/env node
// reguser-web-bridge: the web session bridge as a service. Settings from REGUSER_WEB_BRIDGE_* (--help).
import http from "node:http";
import { createWebBridge } from "./create-bridge.js";
import { optionsFromEnv, settingsHelp } from "./settings.js";

const USAGE = `Usage: reguser-web-bridge            run the bridge
       reguser-web-bridge --help

POST /login/:username (the password as body) → {token}; POST /ticket (Authorization: token) → {ticket};
GET /sse?ticket=… (events onConnect, chatapi.chat, chatapi.presence); POST /message {to, body, type};
POST /logout. The seed's paths (/sparkweb/api/rest/…, /sparkweb/sse) work too. The example page is at /.

Settings (environment variables):
`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(`${USAGE}${settingsHelp()}\n`);
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`reguser-web-bridge: unknown argument ${argv[0]}\n\n${USAGE}`);
    return 2;
  }
  // A log reader that goes away (a closed pipe: EPIPE) must not take every user's session down with it: the log
  // lines are lost, the bridge keeps serving.
  process.stdout.on("error", () => {});
  let config: ReturnType<typeof optionsFromEnv>;
  let bridge: ReturnType<typeof createWebBridge>;
  try {
    config = optionsFromEnv(process.env);
    bridge = createWebBridge({ ...config.options, log: (event) => process.stdout.write(`${JSON.stringify(event)}\n`) });
  } catch (err) {
    process.stderr.write(`reguser-web-bridge: ${(err as Error).message}\n`);
    return 2;
  }
  // No requestTimeout: an event stream is a request that lasts. Headers still have to come within 10 s.
  const server = http.createServer({ headersTimeout: 10_000, requestTimeout: 0, maxHeaderSize: 16_384 }, bridge.handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  process.stdout.write(`reguser-web-bridge listening on http://${config.host}:${config.port}\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  server.close();
  await bridge.close();
  server.closeAllConnections();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`reguser-web-bridge: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
