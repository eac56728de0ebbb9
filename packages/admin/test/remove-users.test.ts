// removeUsers' batching, splitting and outcomes against stand-ins that answer as Prosody 0.12 and ejabberd 23.01 do
// (test/bulk-removal.test.ts runs it on the real servers), and against servers that refuse several JIDs.
import { BadRequestError, ForbiddenError, ItemNotFoundError, JidMalformedError, TimeoutError } from "@reguser/errors";
import { buildCommand, type CommandReply, type DataForm, NS } from "@reguser/protocol";
import xml from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { BatchRefusedError } from "../src/delete-user-answer.js";
import { DEFAULT_MAX_SUBMIT_BYTES, jidBatches, localpartProblem } from "../src/jid-batches.js";
import { type DeleteCommand, removeUsers } from "../src/remove-users.js";

const DOMAIN = "localhost";
const limits = { domain: DOMAIN, batchSize: 500, maxSubmitBytes: DEFAULT_MAX_SUBMIT_BYTES };
const completed = (notes: CommandReply["notes"] = []): CommandReply => ({
  node: `${NS.admin}#delete-user`,
  status: "completed",
  notes,
});
const formOf = (type: string): DataForm => ({
  type: "form",
  instructions: [],
  fields: [{ var: "accountjids", type, required: true, values: [], options: [] }],
});

/** A stand-in server: its accounts, the batches it was sent, and how it answers one submitted batch. */
function server(names: string[], answer: (jids: readonly string[], accounts: Set<string>) => CommandReply) {
  const accounts = new Set(names.map((n) => `${n}@${DOMAIN}`));
  const sent: string[][] = [];
  const command: DeleteCommand = async (jids, hooks) => {
    const refused = hooks.check(formOf("jid-multi"));
    if (refused) throw refused;
    hooks.submitted();
    sent.push([...jids]);
    return answer(jids, accounts);
  };
  return { accounts, sent, command };
}

/** mod_admin_adhoc: deletes what exists, lists both kinds in one info note. */
const prosody = (jids: readonly string[], accounts: Set<string>) => {
  const gone = jids.filter((j) => accounts.delete(j.toLowerCase()));
  const kept = jids.filter((j) => !gone.includes(j));
  const list = (title: string, js: string[]) =>
    js.length ? `The following accounts ${title}:\n${js.join("\n")}\n` : "";
  return completed([
    { type: "info", text: list("were successfully deleted", gone) + list("could not be deleted", kept) },
  ]);
};

/** mod_configure: every JID must exist, or nothing is deleted and the answer is item-not-found. */
const ejabberd = (jids: readonly string[], accounts: Set<string>) => {
  if (!jids.every((j) => accounts.has(j))) throw new ItemNotFoundError({ text: "No hook has processed this command" });
  for (const j of jids) accounts.delete(j);
  return completed();
};

/** The submit as runCommand sends it, with an id and a sessionid as long as Prosody's. */
function submitBytes(jids: readonly string[]): number {
  const form: DataForm = {
    type: "submit",
    instructions: [],
    fields: [
      { var: "FORM_TYPE", type: "hidden", required: false, values: [NS.admin], options: [] },
      { var: "accountjids", required: false, values: [...jids], options: [] },
    ],
  };
  const sessionid = "0feb6cda-93c6-4bce-9288-e316c02cd77f";
  const command = buildCommand({ node: `${NS.admin}#delete-user`, sessionid, form });
  return Buffer.byteLength(
    xml("iq", { xmlns: "jabber:client", type: "set", to: DOMAIN, id: "ab55ffd7-16" }, command).toString(),
  );
}

const names = (n: number, prefix = "u") => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe("removeUsers", () => {
  it("sends one command per batch and reports every name, in order (Prosody)", async () => {
    const target = server(names(10), prosody);
    const result = await removeUsers(["u0", "ghost", ...names(10).slice(1)], target.command, {
      ...limits,
      batchSize: 4,
    });
    expect(target.sent.map((b) => b.length)).toEqual([4, 4, 3]);
    expect(result.removed).toEqual(names(10));
    expect(result.failed.map((f) => f.username)).toEqual(["ghost"]);
    expect(result.failed[0]?.error).toBeInstanceOf(ItemNotFoundError);
    expect(target.accounts.size).toBe(0);
  });

  it("splits an ejabberd batch that an unknown JID spoiled, until that JID stands alone", async () => {
    const target = server(names(7), ejabberd);
    const result = await removeUsers([...names(3), "ghost", ...names(7).slice(3)], target.command, limits);
    expect(result.removed).toEqual(names(7));
    expect(result.failed).toEqual([{ username: "ghost", error: expect.any(ItemNotFoundError) }]);
    // Depth first: 8 refused → its first 4 refused → u0,u1 ok, u2,ghost refused → u2 ok, ghost alone → the last 4 ok.
    expect(target.sent.map((b) => b.length)).toEqual([8, 4, 2, 2, 1, 1, 4]);
    expect(target.accounts.size).toBe(0);
  });

  it("fails names that make no JID unsent, and sends a name given twice once", async () => {
    const target = server(["a", "b"], prosody);
    const result = await removeUsers(["a", "bad user", "b", "", "a", "x@evil"], target.command, limits);
    expect(target.sent).toEqual([["a@localhost", "b@localhost"]]);
    expect(result.removed).toEqual(["a", "b", "a"]);
    expect(result.failed.map((f) => [f.username, f.error.constructor])).toEqual([
      ["bad user", JidMalformedError],
      ["", JidMalformedError],
      ["x@evil", JidMalformedError],
    ]);
  });

  it("says clearly when a server refuses several JIDs, and rejects before anything was removed", async () => {
    const target = server(names(4), (jids) => {
      if (jids.length > 1) throw new BadRequestError({ text: "one JID please" });
      return completed();
    });
    const err = await removeUsers(names(4), target.command, limits).catch((e) => e);
    expect(err).toBeInstanceOf(BatchRefusedError);
    expect(err.size).toBe(4);
    expect(err.message).toMatch(/delete-user with 4 JIDs was refused: one JID please .*batchSize: 1/);
    expect(err.cause).toBeInstanceOf(BadRequestError);
    expect(target.sent).toHaveLength(1);
  });

  it("refuses a form whose field holds one JID without submitting it", async () => {
    let submits = 0;
    const command: DeleteCommand = async (_jids, hooks) => {
      const refused = hooks.check(formOf("jid-single"));
      if (refused) throw refused;
      submits += 1;
      return completed();
    };
    await expect(removeUsers(["a", "b"], command, limits)).rejects.toBeInstanceOf(BatchRefusedError);
    expect(submits).toBe(0);
  });

  it("rejects a failure before the submit (no admin rights) as it is", async () => {
    const command: DeleteCommand = async () => {
      throw new ForbiddenError({ text: "Access denied by service policy" });
    };
    await expect(removeUsers(["a", "b"], command, limits)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("once something was removed, a batch failing as a whole fails it and the rest, and nothing more is sent", async () => {
    const target = server(names(6), (jids, accounts) => {
      if (jids.includes("u2@localhost")) throw new TimeoutError("iq", 10_000);
      return ejabberd(jids, accounts);
    });
    const result = await removeUsers(names(6), target.command, { ...limits, batchSize: 2 });
    expect(result.removed).toEqual(["u0", "u1"]);
    expect(result.failed.map((f) => f.username)).toEqual(["u2", "u3", "u4", "u5"]);
    expect(result.failed.every((f) => f.error instanceof TimeoutError)).toBe(true);
    expect(target.sent).toHaveLength(2);
  });
});

describe("jidBatches", () => {
  it("cuts at batchSize, and earlier where the submit would pass maxSubmitBytes", () => {
    const jids = names(1200).map((n) => `${n}@${DOMAIN}`);
    const batches = jidBatches(jids, limits);
    expect(batches.flat()).toEqual(jids);
    expect(batches.length).toBeGreaterThan(3);
    for (const batch of batches) expect(submitBytes(batch)).toBeLessThanOrEqual(DEFAULT_MAX_SUBMIT_BYTES);
    // Full: one more JID would not have fitted.
    for (const [i, batch] of batches.slice(0, -1).entries()) {
      expect(submitBytes([...batch, batches[i + 1]?.[0] as string])).toBeGreaterThan(DEFAULT_MAX_SUBMIT_BYTES - 80);
    }
    expect(jidBatches(jids, { ...limits, maxSubmitBytes: 1_000_000 }).map((b) => b.length)).toEqual([500, 500, 200]);
    expect(jidBatches(jids, { ...limits, batchSize: 1 })).toHaveLength(1200);
  });

  it("keeps every submit under Prosody's 10,000 bytes for an iq:auth session, even with long names", () => {
    const long = names(300, "x".repeat(200)).map((n) => `${n}@${DOMAIN}`);
    for (const batch of jidBatches(long, limits)) expect(submitBytes(batch)).toBeLessThanOrEqual(10_000);
  });

  it("sends a JID too big to share a submit alone", () => {
    const huge = `${"y".repeat(1000)}@${DOMAIN}`;
    expect(jidBatches(["a@localhost", huge, "b@localhost"], { ...limits, maxSubmitBytes: 1200 })).toEqual([
      ["a@localhost"],
      [huge],
      ["b@localhost"],
    ]);
  });
});

describe("localpartProblem", () => {
  it("refuses what RFC 7622 never allows in a localpart, and lets the server judge the rest", () => {
    for (const bad of ["", "a b", "a@b", "a/b", "a:b", "a<b", "a&b", "a'b", 'a"b', "a\tb", "z".repeat(1024), 7]) {
      expect(localpartProblem(bad)).toBeInstanceOf(JidMalformedError);
    }
    for (const ok of ["juliet", "Ünïcödé", "z".repeat(1023), "a.b-c_d+e"]) expect(localpartProblem(ok)).toBeUndefined();
  });
});
