// The embedded reference server as a suite target: the same core and bulk suites as the real servers.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "@reguser/server";
import { makeSelfSigned } from "@reguser/test-kit";
import { FeatureNotImplementedError, NotAcceptableError } from "reguser";
import { connectOverWebSocket, connectTo } from "./connect-to.js";
import type { RunningTarget, StartOptions, Target } from "./target.js";

export const embedded: Target = {
  name: "embedded",
  unavailable: () => undefined,
  async start(options: StartOptions = {}): Promise<RunningTarget> {
    const dir = await mkdtemp(join(tmpdir(), "reguser-embedded-"));
    const cert = options.tls ? await makeSelfSigned(dir, "localhost") : undefined;
    const server = await startServer({
      registration: options.allowRegistration ?? true,
      ...(cert ? { tls: { key: cert.keyPem, cert: cert.certPem } } : {}),
      ...(options.webSocket ? { webSocketPort: 0 } : {}),
    });
    const reachable = { ...server, ca: cert?.certPem };
    const reach = options.webSocket ? connectOverWebSocket : connectTo;
    return {
      tls: options.tls ?? false,
      connect: (extra = {}) => reach(reachable, extra),
      stop: async () => {
        await server.close();
        await rm(dir, { recursive: true, force: true });
      },
      log: async () => "",
    };
  },
  expect: {
    registerFeature: true,
    missingPassword: { type: NotAcceptableError, code: 406, condition: "not-acceptable" },
    closedInquiry: { type: FeatureNotImplementedError, code: 501, condition: "feature-not-implemented" },
    closedAttempt: { type: FeatureNotImplementedError, code: 501, condition: "feature-not-implemented" },
    missingResource: { type: NotAcceptableError, code: 406, condition: "not-acceptable" },
    methods: { plain: true, digest: true, zeroKnowledge: true },
    digestResultRepeatsFields: false,
    featuresOnLegacyHeader: false,
    codeOnlyErrors: false,
  },
};
