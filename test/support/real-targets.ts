// Prosody, ejabberd and jabberd2 from Debian as suite targets, with what each answered on the wire.
import {
  BadRequestError,
  ForbiddenError,
  NotAcceptableError,
  NotAllowedError,
  NotAuthorizedError,
  ServiceUnavailableError,
} from "reguser";
import { type ServerKind, serverBinaryAvailable, startServer } from "../servers/index.js";
import { connectOverWebSocket, connectTo } from "./connect-to.js";
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
        webSocket: options.webSocket ?? false,
      });
      const reach = options.webSocket ? connectOverWebSocket : connectTo;
      return {
        tls: options.tls ?? false,
        connect: (extra = {}) => reach(server, extra),
        stop: () => server.stop(),
        log: () => server.log(),
      };
    },
  };
}

export const prosody = realTarget("prosody", {
  registerFeature: true,
  missingPassword: { type: NotAcceptableError, code: 406, condition: "not-acceptable" },
  closedInquiry: { type: ServiceUnavailableError, code: 503, condition: "service-unavailable" },
  closedAttempt: { type: ServiceUnavailableError, code: 503, condition: "service-unavailable" },
  // Prosody answers with the field list (trap 1): the library's own NotAuthorizedError.
  missingResource: { type: NotAuthorizedError, code: 401, condition: "not-authorized" },
  methods: { plain: true, digest: false, zeroKnowledge: false },
  digestResultRepeatsFields: true,
  featuresOnLegacyHeader: true,
  codeOnlyErrors: false,
});

export const ejabberd = realTarget("ejabberd", {
  registerFeature: true,
  missingPassword: { type: BadRequestError, code: 400, condition: "bad-request" },
  closedInquiry: "form",
  closedAttempt: { type: ForbiddenError, code: 403, condition: "forbidden" },
  missingResource: { type: NotAcceptableError, code: 406, condition: "not-acceptable" },
  methods: { plain: true, digest: true, zeroKnowledge: false },
  digestResultRepeatsFields: false,
  featuresOnLegacyHeader: false,
  codeOnlyErrors: false,
});

export const jabberd2 = realTarget("jabberd2", {
  registerFeature: true,
  missingPassword: { type: BadRequestError, code: 400, condition: "bad-request" },
  closedInquiry: { type: NotAllowedError, code: 405, condition: "not-allowed" },
  closedAttempt: { type: NotAllowedError, code: 405, condition: "not-allowed" },
  missingResource: { type: BadRequestError, code: 400, condition: "bad-request" },
  methods: { plain: true, digest: true, zeroKnowledge: false },
  digestResultRepeatsFields: false,
  featuresOnLegacyHeader: false,
  codeOnlyErrors: true,
});
