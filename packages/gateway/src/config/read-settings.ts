// The settings from the environment and an optional JSON file (the environment wins). A name the table does not
// know is refused, so a misspelt setting is an error, not a silent default. No message ever shows a value.
import { readFileSync } from "node:fs";
import { ENV_PREFIX, SETTINGS, type Setting, type SettingName } from "./settings.js";

export type SettingValues = Partial<Record<SettingName, string>>;

/** Raised for a configuration the gateway cannot start with; the message names the setting, never its value. */
export class GatewayConfigError extends Error {
  override name = "GatewayConfigError";
}

const NAMES = new Set<string>(SETTINGS.map((s) => s.name));
const SECRET_NAMES = new Set<string>((SETTINGS as readonly Setting[]).filter((s) => s.secret).map((s) => s.name));

/**
 * Read `env` (REGUSER_GATEWAY_*) over the JSON object in `file`, if given. A secret NAME may be given as NAME_FILE,
 * a path whose content (trimmed) is the value. An empty value counts as not given.
 */
export function readSettings(env: NodeJS.ProcessEnv, file?: string): SettingValues {
  const fromFile = file === undefined ? {} : readSource(readJsonObject(file), (name) => `--config ${file}: ${name}`);
  const prefixed = Object.entries(env).filter(([key]) => key.startsWith(ENV_PREFIX));
  const fromEnv = readSource(
    Object.fromEntries(prefixed.map(([key, value]) => [key.slice(ENV_PREFIX.length), value])),
    (name) => `${ENV_PREFIX}${name}`,
  );
  return { ...fromFile, ...fromEnv };
}

/** One source's values by setting name; `where(name)` says where a name came from, for messages. */
function readSource(given: Record<string, unknown>, where: (name: string) => string): SettingValues {
  const values: Record<string, string> = {};
  for (const [name, raw] of Object.entries(given)) {
    if (raw === undefined || raw === "") continue;
    const secretOf = name.endsWith("_FILE") ? name.slice(0, -"_FILE".length) : "";
    if (!NAMES.has(name) && !SECRET_NAMES.has(secretOf)) {
      const hint = name.startsWith(ENV_PREFIX) ? `; write it without the ${ENV_PREFIX} prefix` : "";
      throw new GatewayConfigError(`${where(name)}: unknown setting (reguser-gateway --help lists them${hint})`);
    }
    if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") {
      throw new GatewayConfigError(`${where(name)}: must be a string, number or boolean`);
    }
    if (SECRET_NAMES.has(secretOf)) {
      if (given[secretOf] !== undefined && given[secretOf] !== "") {
        throw new GatewayConfigError(`${where(name)}: give ${secretOf} or ${name}, not both`);
      }
      values[secretOf] = readSecretFile(String(raw), where(name));
    } else {
      values[name] = String(raw);
    }
  }
  return values as SettingValues;
}

function readSecretFile(path: string, where: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (err) {
    throw new GatewayConfigError(`${where}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}

function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new GatewayConfigError(
      `--config ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // JSON.parse's message quotes the text around the fault, which may be a secret: say only that it is not JSON.
    throw new GatewayConfigError(`--config ${file}: not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new GatewayConfigError(`--config ${file}: must hold a JSON object of settings`);
  }
  return parsed as Record<string, unknown>;
}
