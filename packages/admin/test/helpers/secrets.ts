// Grep an error, its stack, its properties and its whole cause chain for secrets, in every encoding a URL or JSON uses.
import { inspect } from "node:util";
import { expect } from "vitest";

export function leaks(err: unknown, secrets: readonly string[]): string[] {
  const texts: string[] = [inspect(err, { depth: 12, showHidden: true })];
  for (let e = err, depth = 0; e instanceof Error && depth < 12; e = e.cause, depth++) {
    texts.push(e.message, e.stack ?? "", JSON.stringify(Object.entries(e)));
  }
  const haystack = texts.join("\n");
  const found: string[] = [];
  for (const secret of secrets) {
    const forms = [secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2)];
    for (const form of forms) if (haystack.includes(form)) found.push(form);
  }
  return found;
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`rejected with a non-Error: ${String(err)}`);
  }
  throw new Error("expected a rejection");
}

/** The rejection of a promise that must reject, carrying none of `secrets` in any encoding. */
export async function rejectionWithout(promise: Promise<unknown>, secrets: readonly string[]): Promise<Error> {
  const err = await rejection(promise);
  expect(leaks(err, secrets)).toEqual([]);
  return err;
}
