// How long the fuzzers run: a bounded few in `npm test`, many more under `npm run fuzz` (FUZZ_RUNS, FUZZ_SEED).
import type fc from "fast-check";

const runs = Number(process.env.FUZZ_RUNS ?? 0);

/** fast-check parameters: `ciRuns` unless FUZZ_RUNS asks for more; FUZZ_SEED replays a reported failure. */
export function fuzzParameters<T>(ciRuns: number): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED;
  const path = process.env.FUZZ_PATH;
  return {
    numRuns: runs > 0 ? runs : ciRuns,
    ...(seed === undefined ? {} : { seed: Number(seed) }),
    ...(path === undefined ? {} : { path }),
    // fast-check's report names the seed and path: enough to replay one failure with FUZZ_SEED and FUZZ_PATH.
    verbose: 1,
  };
}

/** A test time limit that grows with the number of runs (`perRun` ms each, plus a minute of slack). */
export const fuzzTimeout = (ciRuns: number, perRun: number) => (runs > 0 ? runs : ciRuns) * perRun + 60_000;
