// A request body, bounded: refused at once when Content-Length says it is too big, cut off when the bytes say so,
// and given up on when a slow client takes too long. The socket is not trusted for anything else.
import type { IncomingMessage } from "node:http";
import { GatewayError } from "../gateway-error.js";

/** Limits of `readBody`. */
export interface BodyLimits {
  maxBytes: number;
  /** ms for the whole body. */
  timeout: number;
}

/** The body as UTF-8 text, if its media type is `mediaType`. Rejects with a GatewayError (413, 415, 408, 400). */
export async function readBody(request: IncomingMessage, mediaType: string, limits: BodyLimits): Promise<string> {
  const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== mediaType) {
    throw new GatewayError("unsupported_media_type", `The body must be ${mediaType}`);
  }
  const declared = Number(request.headers["content-length"]);
  if (declared > limits.maxBytes) throw tooLarge(limits.maxBytes);
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: GatewayError | undefined) => {
      clearTimeout(timer);
      request.off("data", onData).off("end", onEnd).off("error", onError).off("aborted", onAborted);
      if (err) {
        // Stop reading; the caller answers and closes the connection.
        request.resume();
        reject(err);
      } else {
        try {
          resolve(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
        } catch {
          reject(new GatewayError("bad_request", "The body is not valid UTF-8"));
        }
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) finish(tooLarge(limits.maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = () => finish(new GatewayError("bad_request", "The request body could not be read"));
    const onAborted = () => finish(new GatewayError("bad_request", "The client went away during the body"));
    const timer = setTimeout(
      () => finish(new GatewayError("request_timeout", `The body did not arrive within ${limits.timeout} ms`)),
      limits.timeout,
    );
    request.on("data", onData).on("end", onEnd).on("error", onError).on("aborted", onAborted);
  });
}

const tooLarge = (max: number) => new GatewayError("payload_too_large", `The body is larger than ${max} bytes`);
