// The bulk helpers' login-then-act is idempotent as a whole: a stream lost on the way (jabberd2 drops some next to
// other sessions closing, docs/traps.md#trap-4) is tried again, after pauses of 300, 600 and 900 ms.
import type { RetryPolicy } from "@reguser/stream/internal";

/** Three more tries, 300 ms apart and growing by that much. */
export const STREAM_LOST_RETRIES: RetryPolicy = { retries: 3, delay: 300, backoff: "linear" };
