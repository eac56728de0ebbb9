// A request body, bounded: refused at once when Content-Length says it is too big, cut off when the bytes say so,
// and given up on when a slow client takes too long. The socket is not trusted for anything else.
import type { IncomingMessage } from "node:http";
import { BodyError } from "./body-error.js";

/** What `readBody` takes. */
export interface ReadBodyOptions {
  /** The most bytes the body may have. */
  maxBytes: number;
  /** ms for the whole body, from the call. */
  timeout: number;
  /** The media type the body must have (`application/json`, say), parameters aside; any when left out. */
  mediaType?: string;
}

/**
 * The body of `request` as UTF-8 text. Rejects with a `BodyError`: a wrong media type, over `maxBytes` (by its
 * Content-Length or by what came), not all there within `timeout`, not valid UTF-8, or the client gone first.
 * On a refusal the rest of the body is drained, not read; the caller answers and closes the connection.
 */
export function readBody(request: IncomingMessage, options: ReadBodyOptions): Promise<string> {
  const { maxBytes, timeout, mediaType } = options;
  if (mediaType !== undefined) {
    const type = (request.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (type !== mediaType) return Promise.reject(new BodyError("media_type", `The body must be ${mediaType}`));
  }
  if (Number(request.headers["content-length"]) > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err: BodyError | undefined) => {
      clearTimeout(timer);
      request.off("data", onData).off("end", onEnd).off("error", gone).off("close", gone);
      if (err) {
        request.resume();
        reject(err);
        return;
      }
      try {
        resolve(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(new BodyError("bad_encoding", "The body is not valid UTF-8"));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge(maxBytes));
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    // Node reports a client gone mid-body as an error ("aborted"), a socket destroyed here as a close alone.
    const gone = () => finish(new BodyError("unreadable", "The client went away before the body ended"));
    const timer = setTimeout(
      () => finish(new BodyError("timeout", `The body did not arrive within ${timeout} ms`)),
      timeout,
    );
    request.on("data", onData).on("end", onEnd).on("error", gone).on("close", gone);
  });
}

const tooLarge = (max: number) => new BodyError("too_large", `The body is larger than ${max} bytes`);
