// A request body, bounded in size and time: refused when Content-Length is too big, cut off when the bytes are.
import type { IncomingMessage } from "node:http";
import { BridgeError } from "./bridge-error.js";

/** The body as UTF-8 text. Rejects with a BridgeError (413, 408, 400). */
export function readBody(request: IncomingMessage, maxBytes: number, timeout: number): Promise<string> {
  if (Number(request.headers["content-length"]) > maxBytes) {
    return Promise.reject(new BridgeError("payload_too_large", `The body is larger than ${maxBytes} bytes`));
  }
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (err?: BridgeError) => {
      clearTimeout(timer);
      request.off("data", onData).off("end", onEnd).off("error", onError);
      if (err) {
        request.resume();
        return reject(err);
      }
      try {
        resolve(new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(new BridgeError("bad_request", "The body is not valid UTF-8"));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(new BridgeError("payload_too_large", `The body is larger than ${maxBytes} bytes`));
      else chunks.push(chunk);
    };
    const onEnd = () => finish();
    const onError = () => finish(new BridgeError("bad_request", "The request body could not be read"));
    const timer = setTimeout(
      () => finish(new BridgeError("request_timeout", `The body took over ${timeout} ms`)),
      timeout,
    );
    request.on("data", onData).on("end", onEnd).on("error", onError);
  });
}
