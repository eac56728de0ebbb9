// The README's Openfire examples run as written, against the fake plugins.
import { readFileSync } from "node:fs";
import { afterEach, expect, it } from "vitest";
import * as admin from "../src/index.js";
import type { FakeHttp } from "./helpers/fake-http.js";
import { startFakeRestApi } from "./helpers/fake-rest-api.js";
import { startFakeUserService } from "./helpers/fake-user-service.js";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const examples = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const example = (factory: string) => {
  const code = examples.find((e) => e.includes(`${factory}(`));
  if (!code) throw new Error(`README has no ${factory} example`);
  // The examples are plain JavaScript apart from the import, which becomes a destructuring of the package.
  return code.replace(/^import \{([^}]+)\} from "@reguser\/admin";$/m, "const {$1} = __package;");
};
type Run = (pkg: typeof admin, process: { env: Record<string, string> }) => Promise<void>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => Run;

const fakes: FakeHttp[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

it("runs the REST API example", async () => {
  const fake = await startFakeRestApi({ secret: "readme-secret" });
  fakes.push(fake);
  const run = new AsyncFunction("__package", "process", example("openfireRestApiProvisioner"));
  await run(admin, { env: { OPENFIRE_URL: fake.url, OPENFIRE_REST_SECRET: "readme-secret" } });
  expect(fake.requests.map((r) => r.method)).toEqual(["POST", "POST", "GET", "PUT", "POST", "DELETE", "DELETE"]);
  expect(fake.openfire.users.size).toBe(0);
  expect(fake.violations).toEqual([]);
});

it("runs the User Service example", async () => {
  const fake = await startFakeUserService({ secret: "readme-secret" });
  fakes.push(fake);
  const run = new AsyncFunction("__package", "process", example("openfireUserServiceProvisioner"));
  await run(admin, { env: { OPENFIRE_URL: fake.url, OPENFIRE_USERSERVICE_SECRET: "readme-secret" } });
  expect(fake.params.map((p) => p.type)).toEqual(["add", "update", "add_roster", "delete_roster", "delete"]);
  expect(fake.openfire.users.size).toBe(0);
  expect(fake.violations).toEqual([]);
});
