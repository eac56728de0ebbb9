// `reguser doctor` against each real server, permissive and as it ships (docs/shipped.md): the checks it reports
// and the setting it says to change.
import { startServer as startEmbedded } from "@reguser/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, type ServerKind, type ServerOptions, startServer } from "./servers/index.js";
import { buildCli, reguser } from "./support/cli-binary.js";
import { describeTarget } from "./support/describe-target.js";
import { ejabberd, jabberd2, prosody } from "./support/real-targets.js";

interface Report {
  ok: boolean;
  software?: { kind?: string; label: string };
  checks: Array<{ name: string; status: string; saw: string; change?: string }>;
}

/** Run the doctor as JSON; its exit code and report. */
async function doctor(server: { host: string; port: number; domain: string }, ...flags: string[]) {
  const run = await reguser(["doctor", `${server.host}:${server.port}`, "--domain", server.domain, "--json", ...flags]);
  if (!run.stdout) throw new Error(`doctor printed nothing (exit ${run.code}): ${run.stderr}`);
  return { code: run.code, report: JSON.parse(run.stdout) as Report };
}

const check = (report: Report, name: string) => report.checks.find((c) => c.name === name);

beforeAll(() => buildCli());

/** A real server started with `options` for the cases in `cases`. */
function withServer(kind: ServerKind, options: ServerOptions, cases: (server: () => RunningServer) => void) {
  describe(JSON.stringify(options), () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer(kind, options);
    });
    afterAll(async () => {
      await server?.stop();
    });
    cases(() => server);
  });
}

describe("the embedded server", () => {
  it("permissive: nothing blocks registration, and --probe registers and removes two accounts", async () => {
    const server = await startEmbedded();
    try {
      const { code, report } = await doctor(server, "--probe");
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
      expect(check(report, "register feature")?.status).toBe("ok");
      expect(check(report, "probe")).toMatchObject({ status: "ok" });
      expect(server.users.size).toBe(0);
    } finally {
      await server.close();
    }
  });

  it("registration off: the inquiry's refusal blocks, with what to change", async () => {
    const server = await startEmbedded({ registration: false });
    try {
      const { code, report } = await doctor(server);
      expect(code).toBe(1);
      expect(check(report, "inquiry")).toMatchObject({ status: "block" });
      expect(report.software?.kind).toBe("embedded");
      expect(check(report, "inquiry")?.change).toBe("start it without `registration: false`");
    } finally {
      await server.close();
    }
  });
});

describeTarget(prosody, () => {
  withServer("prosody", {}, (server) => {
    it("permissive: ok, with its login methods", async () => {
      const { code, report } = await doctor(server(), "--probe");
      expect(code).toBe(0);
      expect(check(report, "logins")?.saw).toMatch(/jabber:iq:auth plain/);
      expect(check(report, "probe")?.status).toBe("ok");
    });
  });
  withServer("prosody", { requireEncryption: true }, (server) => {
    it("requiring encryption without a certificate: blocked, and says to give it one", async () => {
      const { code, report } = await doctor(server());
      expect(code).toBe(1);
      expect(check(report, "connection")).toMatchObject({ status: "block" });
      expect(check(report, "connection")?.change).toMatch(/certificate/);
    });
  });
  withServer("prosody", { invites: true }, (server) => {
    it("invite-only: the probe is refused, and the advice is an invite", async () => {
      const { code, report } = await doctor(server(), "--probe");
      expect(code).toBe(1);
      expect(check(report, "invites")?.status).toBe("warn");
      expect(check(report, "probe")).toMatchObject({ status: "block" });
      expect(check(report, "probe")?.change).toMatch(/--invite/);
    });
  });
});

describeTarget(ejabberd, () => {
  withServer("ejabberd", {}, (server) => {
    it("permissive: ok, and it says which server it is", async () => {
      const { code, report } = await doctor(server(), "--probe");
      expect(code).toBe(0);
      expect(report.software?.kind).toBe("ejabberd");
    });
  });
  withServer("ejabberd", { registrationThrottle: 600, hashedPasswords: true }, (server) => {
    it("as it ships: the probe meets registration_timeout, and digest logins cannot work", async () => {
      const { code, report } = await doctor(server(), "--probe");
      expect(code).toBe(1);
      expect(check(report, "probe")).toMatchObject({ status: "block" });
      expect(check(report, "probe")?.change).toMatch(/registration_timeout/);
      expect(check(report, "logins")?.change).toMatch(/auth_password_format/);
    });
  });
  withServer("ejabberd", { captcha: true }, (server) => {
    it("with a CAPTCHA: reported, registration possible for a person", async () => {
      const { code, report } = await doctor(server());
      expect(code).toBe(0);
      expect(check(report, "captcha")).toMatchObject({ status: "warn" });
      expect(check(report, "captcha")?.change).toMatch(/captcha_protected/);
    });
  });
});

describeTarget(jabberd2, () => {
  withServer("jabberd2", {}, (server) => {
    it("permissive: ok", async () => {
      const { code, report } = await doctor(server());
      expect(code).toBe(0);
      expect(report.ok).toBe(true);
    });
  });
  withServer("jabberd2", { allowRegistration: false }, (server) => {
    it("registration off: blocked, and the advice is jabberd2's setting", async () => {
      const { code, report } = await doctor(server());
      expect(code).toBe(1);
      expect(report.software?.kind).toBe("jabberd2");
      expect(report.checks.find((c) => c.status === "block")?.change).toMatch(/register-enable/);
    });
  });
});
