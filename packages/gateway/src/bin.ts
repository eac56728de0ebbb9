#!/usr/bin/env node
// reguser-gateway: the account gateway as a service. Settings from REGUSER_GATEWAY_* and --config FILE (--help).
import { parseArgs } from "node:util";
import { newClientToken } from "./client-tokens.js";
import { buildGateway } from "./config/build-gateway.js";
import { GatewayConfigError, readSettings } from "./config/read-settings.js";
import { settingsHelp } from "./config/settings.js";
import { createGateway } from "./create-gateway.js";
import { gatewayServer } from "./http-server.js";

const USAGE = `Usage: reguser-gateway [--config FILE]     run the gateway
       reguser-gateway new-token [ID]        print a new client token and its setting entry
       reguser-gateway --help

The JSON API: POST /api {"token","action":"create"|"reset_pass","username","email","name"}.
Pages: /signup, /set-password (the mailed links). Health: GET /health.

Settings (environment variables; the same names without the prefix as keys of --config's JSON object):
`;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    process.stderr.write(`reguser-gateway: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}${settingsHelp()}\n`);
    return 0;
  }
  if (parsed.positionals[0] === "new-token") {
    const { token, sha256 } = newClientToken();
    const id = parsed.positionals[1] ?? "app";
    process.stdout.write(
      `token (give it to the app):        ${token}\nsetting (REGUSER_GATEWAY_CLIENT_TOKENS): ${id}:${sha256}\n`,
    );
    return 0;
  }
  if (parsed.positionals.length > 0) {
    process.stderr.write(`reguser-gateway: unknown command ${parsed.positionals[0]}\n\n${USAGE}`);
    return 2;
  }
  const built = await buildGateway(readSettings(process.env, parsed.values.config)).catch((err: unknown) => {
    if (err instanceof GatewayConfigError || err instanceof TypeError) return err;
    throw err;
  });
  if (built instanceof Error) {
    process.stderr.write(`reguser-gateway: ${built.message}\n`);
    return 2;
  }
  let gateway: ReturnType<typeof createGateway>;
  try {
    gateway = createGateway({ ...built.options, log: (event) => process.stdout.write(`${JSON.stringify(event)}\n`) });
  } catch (err) {
    await built.close();
    process.stderr.write(`reguser-gateway: ${(err as Error).message}\n`);
    return 2;
  }
  const server = gatewayServer(gateway);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(built.port, built.host, () => resolve());
  });
  const address = server.address();
  const where = typeof address === "object" && address ? `${address.address}:${address.port}` : String(address);
  process.stdout.write(`reguser-gateway listening on http://${where} (public ${built.options.publicUrl})\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  server.close();
  await gateway.close();
  server.closeAllConnections();
  await built.close();
  return 0;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: { config: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: true,
    strict: true,
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`reguser-gateway: ${(err as Error)?.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
