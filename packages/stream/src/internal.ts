// @reguser/stream/internal: plumbing for sibling packages (the bulk helpers' retries), not part of the documented API.
export { isStreamLost, isTransientRefusal, RetryBudget, type RetryPolicy, retry, sleep } from "./retry.js";
