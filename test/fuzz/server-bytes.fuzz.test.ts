// Fuzzing: random and mutated server byte streams against the real stream, register and auth code.
// Each run checks the hostile suite's invariants: typed errors only, sockets closed, no timers, no secret leaked.
import { authenticate, authMethods } from "@reguser/auth";
import { XmppError } from "@reguser/errors";
import { changePassword, inquire, register, removeAccount } from "@reguser/register";
import type { XmppStream } from "@reguser/stream";
import {
  fuzzParameters,
  fuzzTimeout,
  mutate,
  OPENINGS,
  REPLIES,
  render,
  type Scenario,
  type ScriptedConnection,
  type Step,
  scenario,
  split,
} from "@reguser/test-kit";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type HostileContext, PASSWORD, withInvariants } from "../hostile/harness.js";
import { sleep } from "../hostile/kit.js";
import { takeUnhandled } from "../setup/no-unhandled.js";

const NEW_PASSWORD = "n3w-S3cret&fuzz";
const CI_RUNS = 60;

/** Write one turn's bytes in the scenario's packets, each a segment of its own. */
async function send(conn: ScriptedConnection, bytes: Buffer, packets: number[]): Promise<void> {
  for (const packet of split(bytes, packets)) {
    conn.write(packet);
    await sleep(1);
  }
}

const REQUEST = /<iq[^>]* id="([^"]*)"[^>]*>([\s\S]*?)<\/iq>|<starttls[^>]*\/>/g;

/** Wait for the client's `n`th request (an IQ or <starttls/>); undefined if it hangs up first. */
async function nthRequest(conn: ScriptedConnection, n: number) {
  let onClose = () => {};
  const closed = new Promise<undefined>((resolve) => {
    onClose = () => resolve(undefined);
    conn.socket.once("close", onClose);
  });
  const pattern = new RegExp(`(?:(?:<iq[\\s\\S]*?</iq>|<starttls[^>]*/>)[\\s\\S]*?){${n}}`);
  const text = await Promise.race([conn.waitFor(pattern), closed]);
  conn.socket.off("close", onClose);
  if (text === undefined) return undefined;
  const last = [...text.matchAll(REQUEST)].at(-1);
  return { id: last?.[1] ?? "", payload: last?.[2] ?? "" };
}

function serverFor(s: Scenario) {
  return async (conn: ScriptedConnection) => {
    conn.socket.setNoDelay(true);
    await conn.waitFor(/<stream:stream[^>]*>/);
    await send(
      conn,
      mutate(Buffer.from(OPENINGS[s.opening.template] as string), s.opening.mutation),
      s.opening.packets,
    );
    for (const [i, turn] of s.turns.entries()) {
      const request = await nthRequest(conn, i + 1);
      if (!request) return;
      const text = render(REPLIES[turn.template] as string, turn, request, [PASSWORD, NEW_PASSWORD], conn.received());
      await send(conn, mutate(Buffer.from(text), turn.mutation), turn.packets);
    }
    if (s.ending === "end") conn.socket.end();
    else if (s.ending === "destroy") conn.socket.destroy();
    else if (s.ending === "stream-end") conn.write("</stream:stream>");
  };
}

function runStep(stream: XmppStream, step: Step): Promise<unknown> {
  const login = { username: "fuzz", password: PASSWORD, resource: "r" };
  switch (step) {
    case "inquire":
      return inquire(stream);
    case "register":
      return register(stream, { username: "fuzz", password: PASSWORD, email: "f@example.org" });
    case "methods":
      return authMethods(stream, "fuzz");
    case "change":
      return changePassword(stream, { username: "fuzz", password: NEW_PASSWORD, oldPassword: PASSWORD });
    case "remove":
      return removeAccount(stream);
    default:
      return authenticate(stream, { ...login, method: step });
  }
}

/** A step may succeed (a mutation can be harmless); if it fails, it fails with one of ours. */
async function settle(ctx: HostileContext, promise: Promise<unknown>): Promise<void> {
  await promise.catch((err: unknown) => {
    ctx.record(err);
    expect(err, String(err)).toBeInstanceOf(XmppError);
  });
}

describe("fuzzed server byte streams", () => {
  it(
    "every run ends in success or a typed error, with the invariants kept",
    async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          await withInvariants(
            async (ctx) => {
              ctx.secret(NEW_PASSWORD);
              const server = await ctx.serve(serverFor(s));
              let stream: XmppStream | undefined;
              await settle(
                ctx,
                ctx.open(server.port, { tls: s.tls, timeout: 150 }).then((opened) => {
                  stream = opened;
                }),
              );
              for (const step of stream ? s.steps : []) await settle(ctx, runStep(stream as XmppStream, step));
              await stream?.close();
            },
            { settle: 2000 },
          )();
          await sleep(0);
          expect(takeUnhandled(), "no unhandled rejection or uncaught exception").toEqual([]);
        }),
        fuzzParameters(CI_RUNS),
      );
    },
    fuzzTimeout(CI_RUNS, 2500),
  );
});
