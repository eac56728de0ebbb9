// What a WebSocket peer's misbehaviour or close means to the stream, the same for the Node (`ws`) and the browser
// transport.
import { ConnectionError, ProtocolError } from "@reguser/errors";

/** RFC 7395 §3.2: XMPP travels in text frames only. */
export function binaryFrameError(): ProtocolError {
  return new ProtocolError("The server sent a binary WebSocket frame (RFC 7395 §3.2: text frames only)");
}

/** Why the WebSocket closed: nothing for a normal close (1000), else the code and the peer's reason. */
export function closeCause(code: number, reason: string): ConnectionError | undefined {
  if (code === 1000) return undefined;
  const said = reason.length > 0 ? `: ${reason.slice(0, 200)}` : "";
  return new ConnectionError(`WebSocket close code ${code}${said}`);
}
