// A server the core suite runs against, and what that server is known to answer.
import type { OpenStreamOptions } from "reguser";

export type ErrorClass = abstract new (...args: never[]) => Error;

/** A typed error as the suite expects it: class, legacy code and condition (filled in when the server omits one). */
export interface ErrorShape {
  type: ErrorClass;
  code: number;
  condition: string;
}

export interface Expectations {
  /** Stream features advertise in-band registration. */
  registerFeature: boolean;
  /** A registration without a password. */
  missingPassword: ErrorShape;
  /** With registration switched off: the inquiry's error, or "form" when the server answers it anyway. */
  closedInquiry: ErrorShape | "form";
  closedAttempt: ErrorShape;
  /** A login without a resource. */
  missingResource: ErrorShape;
  methods: { plain: boolean; digest: boolean; zeroKnowledge: boolean };
  /** Answers a digest it did not offer with a result repeating the field list (Prosody, trap 1). */
  digestResultRepeatsFields: boolean;
  /** Sends features on a stream opened without `version`. */
  featuresOnLegacyHeader: boolean;
  /** Its wrong-password reply is jabberd 1.4's bare `<error code='401'/>`: no type, no condition. */
  codeOnlyErrors: boolean;
}

export interface RunningTarget {
  /** Options for openStream against this server (TLS trust included). */
  connect(extra?: Partial<OpenStreamOptions>): OpenStreamOptions;
  /** Whether STARTTLS is offered on this instance. */
  tls: boolean;
  stop(): Promise<void>;
  log(): Promise<string>;
}

export interface StartOptions {
  allowRegistration?: boolean;
  tls?: boolean;
  /** Streams go over the server's WebSocket endpoint (RFC 7395) instead of TCP. */
  webSocket?: boolean;
}

export interface Target {
  name: string;
  /** What the suite's streams go over: TCP (default) or WebSocket (`overWebSocket`). */
  transport?: "tcp" | "websocket";
  /** Why this target cannot run here (a missing binary); undefined when it can. */
  unavailable(): string | undefined;
  start(options?: StartOptions): Promise<RunningTarget>;
  expect: Expectations;
}

/** `target` with every stream of its suites over WebSocket. */
export function overWebSocket(target: Target): Target {
  return {
    ...target,
    name: `${target.name} over WebSocket`,
    transport: "websocket",
    start: (options = {}) => target.start({ ...options, webSocket: true }),
  };
}
