// What Prosody 0.12.3, ejabberd 23.01 and Openfire answer a delete-user with several JIDs, read per JID: the replies
// below are verbatim captures from the real servers (Openfire's from its DeleteUser.java), looped over as cases.
import {
  BadRequestError,
  ForbiddenError,
  ItemNotFoundError,
  JidMalformedError,
  ProtocolError,
  StreamError,
} from "@reguser/errors";
import { NS, parseCommand, parseDataForm } from "@reguser/protocol";
import { parse } from "ltx";
import { describe, expect, it } from "vitest";
import {
  BatchRefusedError,
  checkTakesMany,
  classifyFailure,
  jidError,
  parseDeleteNote,
  readDeleteAnswer,
} from "../src/delete-user-answer.js";
import { AdminCommandError } from "../src/run-command.js";

const DELETE = `${NS.admin}#delete-user`;
const command = (inner: string, status = "completed") =>
  parseCommand(
    parse(`<command xmlns='${NS.commands}' node='${DELETE}' status='${status}' sessionid='s1'>${inner}</command>`),
  );
const info = (text: string) => `<note type='info'>${text}</note>`;

interface Case {
  name: string;
  reply: string;
  sent: string[];
  removed: string[];
  failed: Array<[string, new (...args: never[]) => Error]>;
}

const cases: Case[] = [
  {
    name: "Prosody: some deleted, some not",
    reply: info(
      "The following accounts were successfully deleted:\nu2@localhost\nThe following accounts could not be deleted:\nghost@localhost",
    ),
    sent: ["u2@localhost", "ghost@localhost"],
    removed: ["u2@localhost"],
    failed: [["ghost@localhost", ItemNotFoundError]],
  },
  {
    name: "Prosody: none existed",
    reply: info("The following accounts could not be deleted:\nghost1@localhost\nghost2@localhost"),
    sent: ["ghost1@localhost", "ghost2@localhost"],
    removed: [],
    failed: [
      ["ghost1@localhost", ItemNotFoundError],
      ["ghost2@localhost", ItemNotFoundError],
    ],
  },
  {
    name: "Prosody: all deleted, names in its normalised form (U4 sent, u4 listed)",
    reply: info("The following accounts were successfully deleted:\nu4@localhost\nu5@localhost\n"),
    sent: ["U4@localhost", "u5@localhost"],
    removed: ["U4@localhost", "u5@localhost"],
    failed: [],
  },
  {
    name: "Prosody: a JID it does not name at all",
    reply: info("The following accounts were successfully deleted:\nu1@localhost"),
    sent: ["u1@localhost", "u9@localhost"],
    removed: ["u1@localhost"],
    failed: [["u9@localhost", ProtocolError]],
  },
  {
    name: "ejabberd: completed without a note",
    reply: "",
    sent: ["u0@localhost", "u1@localhost"],
    removed: ["u0@localhost", "u1@localhost"],
    failed: [],
  },
  {
    name: "Openfire: an info note that names nobody",
    reply: info("Operation finished successfully"),
    sent: ["a@example.org", "b@example.org"],
    removed: ["a@example.org", "b@example.org"],
    failed: [],
  },
];

describe("readDeleteAnswer", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const outcomes = readDeleteAnswer(command(c.reply), c.sent);
    expect(outcomes.map((o) => o.jid)).toEqual(c.sent);
    expect(outcomes.filter((o) => o.removed).map((o) => o.jid)).toEqual(c.removed);
    const failed = outcomes.flatMap((o) => (o.removed ? [] : [[o.jid, o.error] as const]));
    expect(failed.map(([jid]) => jid)).toEqual(c.failed.map(([jid]) => jid));
    for (const [i, [, error]] of failed.entries()) expect(error).toBeInstanceOf(c.failed[i]?.[1]);
  });

  it("fails every JID of a command that did not complete", () => {
    const outcomes = readDeleteAnswer(command("", "executing"), ["a@x", "b@x"]);
    expect(outcomes.every((o) => !o.removed && o.error instanceof ProtocolError)).toBe(true);
  });
});

describe("parseDeleteNote", () => {
  it("reads both of Prosody's lists, and nothing from a note without them", () => {
    const text =
      "The following accounts were successfully deleted:\na@x\nb@x\nThe following accounts could not be deleted:\nc@x";
    expect(parseDeleteNote(text)).toEqual({ deleted: ["a@x", "b@x"], notDeleted: ["c@x"] });
    expect(parseDeleteNote("Operation finished successfully")).toBeUndefined();
  });
});

describe("classifyFailure", () => {
  const notFound = new ItemNotFoundError({ text: "No hook has processed this command" });
  const invalid = new AdminCommandError(DELETE, "accountjids: Invalid JID: bad user@localhost");

  it("splits a batch that one JID spoiled: ejabberd's item-not-found, Openfire's or Prosody's error note", () => {
    expect(classifyFailure(notFound, 500)).toBe("split");
    expect(classifyFailure(invalid, 2)).toBe("split");
    expect(classifyFailure(new AdminCommandError(DELETE, "User u2 does not exist"), 3)).toBe("split");
  });

  it("gives a lone JID its own error, typed as removeUser types it", () => {
    expect(classifyFailure(notFound, 1)).toBe("this-jid");
    expect(jidError(invalid)).toBeInstanceOf(JidMalformedError);
    expect(jidError(new AdminCommandError(DELETE, "User u2 does not exist"))).toBeInstanceOf(ItemNotFoundError);
    expect(jidError(notFound)).toBe(notFound);
  });

  it("calls bad-request and a stanza-size stream error on several JIDs a refusal, and the rest whole failures", () => {
    expect(classifyFailure(new BadRequestError({}), 2)).toBe("refused");
    expect(classifyFailure(new StreamError({ condition: "policy-violation", text: "XML stanza is too big" }), 9)).toBe(
      "refused",
    );
    expect(classifyFailure(new BadRequestError({}), 1)).toBe("whole");
    expect(classifyFailure(new ForbiddenError({}), 50)).toBe("whole");
  });
});

describe("checkTakesMany", () => {
  const form = (field: string) =>
    parseDataForm(
      parse(
        `<x xmlns='jabber:x:data' type='form'><field var='FORM_TYPE' type='hidden'><value>${NS.admin}</value></field>${field}</x>`,
      ),
    );

  it("accepts the jid-multi accountjids Prosody, ejabberd and Openfire declare", () => {
    expect(checkTakesMany(form("<field var='accountjids' type='jid-multi'><required/></field>"), 500)).toBeUndefined();
  });

  it("refuses to submit several JIDs into a field that holds one, saying so", () => {
    const err = checkTakesMany(form("<field var='accountjid' type='jid-single'/>"), 3);
    expect(err).toBeInstanceOf(BatchRefusedError);
    expect(err?.message).toMatch(/delete-user with 3 JIDs was refused: its form declares no accountjids field/);
    expect(err?.message).toMatch(/batchSize: 1/);
    expect(checkTakesMany(form("<field var='accountjids' type='jid-single'/>"), 2)?.message).toMatch(/jid-single/);
    expect(checkTakesMany(form("<field var='accountjid' type='jid-single'/>"), 1)).toBeUndefined();
  });
});
