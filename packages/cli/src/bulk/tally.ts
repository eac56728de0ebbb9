// A bulk run's counts as outcomes arrive, in-band or through --admin: ok, failed by error class, made via admin,
// and the accounts --resume skipped.
import type { ErrorCounts } from "../results.js";

export class Tally {
  ok = 0;
  failed = 0;
  viaAdmin = 0;
  skipped = 0;
  readonly byError: ErrorCounts = {};

  get done(): number {
    return this.ok + this.failed;
  }

  succeeded(viaAdmin: boolean): void {
    this.ok += 1;
    if (viaAdmin) this.viaAdmin += 1;
  }

  failedWith(error: Error): void {
    this.failed += 1;
    this.byError[error.name] = (this.byError[error.name] ?? 0) + 1;
  }
}
