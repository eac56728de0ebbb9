// The bridge's request bodies: @reguser/http-body's bounded reader, its refusals as BridgeErrors. Any media type:
// the seed's page sends the password as text/plain.
import type { IncomingMessage } from "node:http";
import { BodyError, type BodyErrorReason, readBody as readBoundedBody } from "@reguser/http-body";
import { BridgeError, type BridgeErrorCode } from "./bridge-error.js";

const CODE_FOR: Record<BodyErrorReason, BridgeErrorCode> = {
  media_type: "unsupported_media_type",
  too_large: "payload_too_large",
  timeout: "request_timeout",
  bad_encoding: "bad_request",
  unreadable: "bad_request",
};

/** The body as UTF-8 text. Rejects with a BridgeError (413, 408, 400). */
export async function readBody(request: IncomingMessage, maxBytes: number, timeout: number): Promise<string> {
  try {
    return await readBoundedBody(request, { maxBytes, timeout });
  } catch (err) {
    if (err instanceof BodyError) throw new BridgeError(CODE_FOR[err.reason], err.message);
    throw err;
  }
}
