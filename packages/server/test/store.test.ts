// The JSON file store (accounts and 0k state survive a restart) and the log that never sees a secret.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { digestPassword, sha1hex, zeroKnowledgeHash } from "@reguser/protocol";
import { afterAll, describe, expect, it } from "vitest";
import { JsonFileStore } from "../src/index.js";
import { clientFinalMessage } from "../src/scram/proof.js";
import { AUTH, iq, REGISTER, registerText, useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const b64 = (text: string) => Buffer.from(text).toString("base64");
const dir = mkdtempSync(join(tmpdir(), "reguser-server-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("storeFile", () => {
  it("keeps accounts, fields and the 0k chain across a restart", async () => {
    const file = join(dir, "accounts.json");
    const first = await start({ storeFile: file });
    const client = await connect(first);
    client.send(iq("set", "r", REGISTER, registerText("ann", "pw", "<email>a@b</email>")));
    expect((await client.next()).attrs.type).toBe("result");
    client.send(iq("get", "o", AUTH, "<username>ann</username>"));
    const offer = (await client.next()).getChild("query");
    const hash = await zeroKnowledgeHash(
      "pw",
      offer?.getChildText("token") ?? "",
      Number(offer?.getChildText("sequence")),
    );
    client.send(iq("set", "l", AUTH, `<username>ann</username><hash>${hash}</hash><resource>r</resource>`));
    expect((await client.next()).attrs.type).toBe("result");
    await first.close();
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = await start({ storeFile: file });
    expect(second.users.get("ann")).toMatchObject({ fields: { email: "a@b" }, zeroKnowledge: { sequence: 499 } });
    const again = await connect(second);
    again.send(iq("set", "l", AUTH, "<username>ann</username><password>pw</password><resource>r</resource>"));
    expect((await again.next()).attrs.type).toBe("result");
  });

  it("stores the SCRAM keys as Prosody does (salt, iteration count, StoredKey, ServerKey), at the first SASL login", async () => {
    const file = join(dir, "scram.json");
    const server = await start({ storeFile: file, scramIterations: 4096 });
    server.users.add({ username: "ann", password: "pencil" });
    // Registration stays cheap: no PBKDF2 until a SASL login needs the keys.
    expect(JSON.parse(readFileSync(file, "utf8")).accounts[0].scram).toBeUndefined();
    const client = await connect(server);
    client.send(
      `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from("\u0000ann\u0000pencil").toString("base64")}</auth>`,
    );
    expect((await client.next()).name).toBe("success");
    const [account] = JSON.parse(readFileSync(file, "utf8")).accounts;
    expect(account.scram).toEqual({
      salt: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
      iterationCount: 4096,
      storedKey: expect.stringMatching(/^[0-9a-f]{40}$/),
      serverKey: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    // The salt is the text of a random UUID, as Prosody makes it.
    expect(Buffer.from(account.scram.salt, "base64").toString()).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("derives SCRAM keys for accounts of a file written before they were stored", async () => {
    const file = join(dir, "old.json");
    const zeroKnowledge = { token: "3C84F9E7", sequence: 500, hash: "0".repeat(40) };
    const old = { version: 1, accounts: [{ username: "ann", password: "pw", fields: {}, zeroKnowledge }] };
    writeFileSync(file, JSON.stringify(old));
    const server = await start({ storeFile: file });
    const client = await connect(server);
    const plain = Buffer.from("\u0000ann\u0000pw").toString("base64");
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth>`);
    expect((await client.next()).name).toBe("success");
  });

  it("refuses a file that is not an account file", () => {
    const file = join(dir, "other.json");
    writeFileSync(file, "{}");
    expect(() => new JsonFileStore(file)).toThrow(/not a @reguser\/server account file/);
  });
});

describe("log", () => {
  it("sees the traffic but no password, digest, 0k hash, token, SASL credentials or SCRAM proof", async () => {
    const lines: string[] = [];
    const server = await start({ log: (line) => lines.push(line), requireOldPassword: true });
    const secrets = ["s3cret-one", "s3cret-two"];
    const client = await connect(server);
    client.send(iq("set", "r", REGISTER, registerText("ann", secrets[0] as string)));
    await client.next();
    client.send(iq("get", "o", AUTH, "<username>ann</username>"));
    const offer = (await client.next()).getChild("query");
    const token = offer?.getChildText("token") ?? "";
    const hash = await zeroKnowledgeHash(secrets[0] as string, token, Number(offer?.getChildText("sequence")));
    const digest = await digestPassword(client.header.id ?? "", secrets[0] as string);
    client.send(iq("set", "d", AUTH, `<username>ann</username><digest>${digest}</digest><resource>x</resource>`));
    await client.next();
    client.send(iq("set", "c", REGISTER, `<password>${secrets[1]}</password>`));
    const refused = await client.next();
    expect(refused.getChild("error")?.attrs.code).toBe("401");
    const sasl = await connect(server);
    const plain = Buffer.from(`\u0000ann\u0000${secrets[0]}`).toString("base64");
    sasl.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${plain}</auth>`);
    await sasl.next();
    const scram = await connect(server);
    const clientFirst = "n,,n=ann,r=abc";
    scram.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>${b64(clientFirst)}</auth>`);
    const serverFirst = Buffer.from((await scram.next()).getText(), "base64").toString();
    const final = clientFinalMessage({ password: secrets[0] as string, clientFirst, serverFirst })?.message ?? "";
    scram.send(`<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${b64(final)}</response>`);
    expect((await scram.next()).name).toBe("success");
    const proof = final.split(",p=")[1] ?? "";
    const zk = await connect(server);
    zk.send(iq("set", "z", AUTH, `<username>ann</username><hash>${hash}</hash><resource>z</resource>`));
    await zk.next();

    const log = lines.join("\n");
    expect(log).toContain("<password>[redacted]</password>");
    for (const secret of [...secrets, digest, hash, await sha1hex(hash), token, plain, proof, b64(final)]) {
      expect(log).not.toContain(secret);
    }
    expect(log).toContain('mechanism="SCRAM-SHA-1"');
  });
});
