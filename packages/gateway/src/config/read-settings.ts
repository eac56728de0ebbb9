// The settings from the environment and an optional JSON file (the environment wins). A name the table does not
// know is refused, so a misspelt setting is an error, not a silent default.
import { readFileSync } from "node:fs";
import { ENV_PREFIX, SETTINGS, type Setting, type SettingName } from "./settings.js";

export type SettingValues = Partial<Record<SettingName, string>>;

/** Raised for a configuration the gateway cannot start with; the message names the setting. */
export class GatewayConfigError extends Error {
  override name = "GatewayConfigError";
}

const NAMES = new Set<string>(SETTINGS.map((s) => s.name));
const SECRET_NAMES = new Set<string>((SETTINGS as readonly Setting[]).filter((s) => s.secret).map((s) => s.name));

/** Read `env` (REGUSER_GATEWAY_*) over the JSON object in `file`, if given. */
export function readSettings(env: NodeJS.ProcessEnv, file?: string): SettingValues {
  const values: Record<string, string> = {};
  if (file) Object.assign(values, readFile(file));
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(ENV_PREFIX) || value === undefined) continue;
    const name = key.slice(ENV_PREFIX.length);
    take(values, name, value, `the environment variable ${key}`);
  }
  return values as SettingValues;
}

function readFile(file: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new GatewayConfigError(`--config ${file}: not a readable JSON file (${(err as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new GatewayConfigError(`--config ${file}: must hold a JSON object of settings`);
  }
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
      throw new GatewayConfigError(`--config ${file}: ${name} must be a string, number or boolean`);
    }
    take(values, name, String(value), `--config ${file}`);
  }
  return values;
}

function take(values: Record<string, string>, name: string, value: string, where: string): void {
  if (name.endsWith("_FILE") && SECRET_NAMES.has(name.slice(0, -5))) {
    try {
      values[name.slice(0, -5)] = readFileSync(value, "utf8").trim();
    } catch {
      throw new GatewayConfigError(`${where}: ${name} names a file that cannot be read`);
    }
    return;
  }
  if (!NAMES.has(name)) {
    throw new GatewayConfigError(`${where}: unknown setting ${name} (reguser-gateway --help lists them)`);
  }
  values[name] = value;
}
