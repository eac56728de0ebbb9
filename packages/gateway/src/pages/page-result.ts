// What a page handler answers: a status and a whole HTML page; the refusal, if any, for the log and headers.
import type { GatewayError } from "../gateway-error.js";

export interface PageResult {
  status: number;
  html: string;
  error?: GatewayError;
}
