// inBandProvisioner: XEP-0077 as a Provisioner that only creates, on the embedded server and on real Prosody.
import { inBandProvisioner } from "@reguser/admin";
import { FeatureNotImplementedError, ServiceUnavailableError } from "@reguser/errors";
import { isRegistrationClosed } from "@reguser/register";
import { startServer as startEmbedded } from "@reguser/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { prosody } from "./support/real-targets.js";

describe("inBandProvisioner on the embedded server", () => {
  it("creates an account that logs in, with the listed fields; refuses everything else with a hint", async () => {
    const server = await startEmbedded({ domain: "inband.test" });
    try {
      const provisioner = inBandProvisioner({ connect: connectTo(server) });
      const username = uniqueName("ib");
      const password = strongPassword();
      await provisioner.createUser({ username, password, email: "ib@example.org", name: "In Band" });
      expect(await canLogIn(connectTo(server), username, password)).toBe(true);
      expect(server.users.get(username)?.fields).toMatchObject({ email: "ib@example.org" });
      for (const call of [
        () => provisioner.changePassword({ username, password: strongPassword() }),
        () => provisioner.removeUser(username),
        () => provisioner.disableUser(username),
      ]) {
        const err = await call().catch((e: unknown) => e);
        expect(err).toBeInstanceOf(FeatureNotImplementedError);
        expect(String(err)).toMatch(/use an admin backend/);
      }
      await provisioner.close();
    } finally {
      await server.close();
    }
  });
});

describeTarget(prosody, () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer("prosody", { allowRegistration: false });
  });
  afterAll(() => server?.stop());

  it("passes the server's refusal on as a typed error when registration is off", async () => {
    const provisioner = inBandProvisioner({ connect: connectTo(server) });
    const err = await provisioner
      .createUser({ username: uniqueName("ib"), password: strongPassword() })
      .catch((e) => e);
    // Prosody's answer when registration is off (docs/servers.md#side-by-side): what a caller falls back on.
    expect(err).toBeInstanceOf(ServiceUnavailableError);
    expect(isRegistrationClosed(err)).toBe(true);
  });
});
