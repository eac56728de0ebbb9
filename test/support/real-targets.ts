// Prosody, ejabberd and jabberd2 from Debian as suite targets, with what each answered on the wire.
import { BadRequestError, ForbiddenError, NotAcceptableError, NotAllowedError, ServiceUnavailableError } from "reguser";
import { type ServerKind, serverBinaryAvailable, startServer } from "../servers/index.js";
import type { Expectations, RunningTarget, StartOptions, Target } from "./target.js";

function realTarget(kind: ServerKind, expect: Expectations): Target {
  return {
    name: kind,
    expect,
    unavailable: () => (serverBinaryAvailable(kind) ? undefined : `${kind} is not installed (apt-get install ${kind})`),
    async start(options: StartOptions = {}): Promise<RunningTarget> {
      const server = await startServer(kind, {
        allowRegistration: options.allowRegistration ?? true,
        tls: options.tls ?? false,
      });
      return {
        tls: options.tls ?? false,
        connect: (extra = {}) => ({
          host: server.host,
          port: server.port,
          domain: server.domain,
          timeout: 5000,
          ...(server.ca ? { ca: server.ca } : {}),
          ...extra,
        }),
        stop: () => server.stop(),
        log: () => server.log(),
      };
    },
  };
}

export const prosody = realTarget("prosody", {
  registerFeature: true,
  missingPassword: NotAcceptableError,
  closedInquiry: ServiceUnavailableError,
  closedAttempt: ServiceUnavailableError,
  methods: { plain: true, digest: false, zeroKnowledge: false },
  digestResultRepeatsFields: true,
  featuresOnLegacyHeader: true,
});

export const ejabberd = realTarget("ejabberd", {
  registerFeature: true,
  missingPassword: BadRequestError,
  closedInquiry: "form",
  closedAttempt: ForbiddenError,
  methods: { plain: true, digest: true, zeroKnowledge: false },
  digestResultRepeatsFields: false,
  featuresOnLegacyHeader: false,
});

export const jabberd2 = realTarget("jabberd2", {
  registerFeature: true,
  missingPassword: BadRequestError,
  closedInquiry: NotAllowedError,
  closedAttempt: NotAllowedError,
  methods: { plain: true, digest: true, zeroKnowledge: false },
  digestResultRepeatsFields: false,
  featuresOnLegacyHeader: false,
});
