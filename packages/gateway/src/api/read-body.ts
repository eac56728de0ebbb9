// The gateway's request bodies: @reguser/http-body's bounded reader, its refusals as GatewayErrors.
import type { IncomingMessage } from "node:http";
import { BodyError, type BodyErrorReason, readBody as readBoundedBody } from "@reguser/http-body";
import { GatewayError, type GatewayErrorCode } from "../gateway-error.js";

/** Limits of `readBody`. */
export interface BodyLimits {
  maxBytes: number;
  /** ms for the whole body. */
  timeout: number;
}

const CODE_FOR: Record<BodyErrorReason, GatewayErrorCode> = {
  media_type: "unsupported_media_type",
  too_large: "payload_too_large",
  timeout: "request_timeout",
  bad_encoding: "bad_request",
  unreadable: "bad_request",
};

/** The body as UTF-8 text, if its media type is `mediaType`. Rejects with a GatewayError (413, 415, 408, 400). */
export async function readBody(request: IncomingMessage, mediaType: string, limits: BodyLimits): Promise<string> {
  try {
    return await readBoundedBody(request, { ...limits, mediaType });
  } catch (err) {
    if (err instanceof BodyError) throw new GatewayError(CODE_FOR[err.reason], err.message);
    throw err;
  }
}
