#!/usr/bin/env node
// reguser-gateway: the account gateway as a service. Settings from REGUSER_GATEWAY_* and --config FILE (--help).
// Exit codes: 0 done (also after SIGINT/SIGTERM), 1 a failure while running, 2 a bad command line or setting.
import type { Server } from "node:http";
import { parseArgs } from "node:util";
import { newClientToken } from "./client-tokens.js";
import { type BuiltGateway, buildGateway } from "./config/build-gateway.js";
import { GatewayConfigError, readSettings } from "./config/read-settings.js";
import { settingsHelp } from "./config/settings.js";
import { createGateway, type Gateway } from "./create-gateway.js";
import { gatewayServer } from "./http-server.js";

const USAGE = `Usage: reguser-gateway [--config FILE]     run the gateway
       reguser-gateway new-token [ID]        print a new client token and its setting entry
       reguser-gateway --help
`;

const ABOUT = `
The JSON API: POST /api {"token","action":"create"|"reset_pass","username","email","name"}.
Pages: /signup, /set-password (the mailed links). Health: GET /health.

Settings: environment variables, or the same names without the prefix as keys of --config's JSON object (the
environment wins; an empty value counts as not given). A secret can be given as NAME_FILE instead, a file holding it.
`;

/** How long the shutdown may take before the process exits anyway (a call to a backend that does not answer). */
const SHUTDOWN_MS = 10_000;

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err) {
    return usageError((err as Error).message);
  }
  const [command, ...rest] = parsed.positionals;
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}${ABOUT}\n${settingsHelp()}\n`);
    return 0;
  }
  if (command === "new-token") return newToken(rest);
  if (command !== undefined) return usageError(`unknown command ${command}`);

  let built: BuiltGateway;
  try {
    built = await buildGateway(readSettings(process.env, parsed.values.config));
  } catch (err) {
    if (!(err instanceof GatewayConfigError)) throw err;
    process.stderr.write(`reguser-gateway: ${err.message}\n`);
    return 2;
  }
  let gateway: Gateway;
  try {
    gateway = createGateway({ ...built.options, log: (event) => process.stdout.write(`${JSON.stringify(event)}\n`) });
  } catch (err) {
    await built.close();
    process.stderr.write(`reguser-gateway: ${(err as Error).message}\n`);
    return 2;
  }
  const server = gatewayServer(gateway);
  try {
    await listen(server, built.host, built.port);
  } catch (err) {
    await shutDown(server, gateway, built);
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    process.stderr.write(`reguser-gateway: cannot listen on ${built.host}:${built.port} (${code})\n`);
    return 1;
  }
  const address = server.address();
  const where = typeof address === "object" && address ? `${address.address}:${address.port}` : String(address);
  process.stdout.write(`reguser-gateway listening on http://${where} (public ${built.options.publicUrl})\n`);
  const signal = await nextSignal();
  const late = setTimeout(() => {
    process.stderr.write(`reguser-gateway: the shutdown took over ${SHUTDOWN_MS} ms, exiting anyway\n`);
    process.exit(1);
  }, SHUTDOWN_MS);
  late.unref();
  await shutDown(server, gateway, built);
  clearTimeout(late);
  process.stdout.write(`reguser-gateway stopped (${signal})\n`);
  return 0;
}

/** Resolves with the first SIGINT or SIGTERM. A second one ends the process at once (the handlers are gone). */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

/** Stop taking connections, let the requests under way finish, then close the backend, the store and the mailer. */
async function shutDown(server: Server, gateway: Gateway, built: BuiltGateway): Promise<void> {
  const closed = server.listening ? new Promise<void>((resolve) => server.close(() => resolve())) : Promise.resolve();
  await gateway.close();
  server.closeAllConnections();
  await closed;
  await built.close();
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function newToken(args: string[]): number {
  if (args.length > 1) return usageError("new-token takes at most one ID");
  const id = args[0] ?? "app";
  if (!/^[\w.-]{1,64}$/.test(id)) return usageError("the ID is letters, digits, '.', '_' or '-' (at most 64)");
  const { token, sha256 } = newClientToken();
  process.stdout.write(
    `token (give it to the app):        ${token}\nsetting (REGUSER_GATEWAY_CLIENT_TOKENS): ${id}:${sha256}\n`,
  );
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`reguser-gateway: ${message}\n\n${USAGE}`);
  return 2;
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
    process.stderr.write(`reguser-gateway: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
