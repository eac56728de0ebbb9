// jabber:iq:auth: the offer, plaintext, digest, the 0k hash chain going down, and the 406 / 401 / 409 rules.
import { digestPassword, zeroKnowledgeHash } from "@reguser/protocol";
import { describe, expect, it } from "vitest";
import type { EmbeddedServer, ServerOptions } from "../src/index.js";
import { AUTH, iq, REGISTER, useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const ann = { username: "ann", password: "correct horse" };

/** One stream: the offer for ann, then a login with whatever `proof` makes from it. */
async function login(
  server: EmbeddedServer,
  resource: string,
  proof: (offer: Offer, streamId: string) => string | Promise<string>,
) {
  const client = await connect(server);
  client.send(iq("get", "o", AUTH, "<username>ann</username>"));
  const query = (await client.next()).getChild("query", AUTH);
  const offer: Offer = {
    methods: query?.getChildElements().map((c) => c.name) ?? [],
    sequence: query?.getChildText("sequence") ?? undefined,
    token: query?.getChildText("token") ?? undefined,
  };
  client.send(
    iq(
      "set",
      "l",
      AUTH,
      `<username>ann</username>${await proof(offer, client.header.id ?? "")}<resource>${resource}</resource>`,
    ),
  );
  const reply = await client.next();
  return { offer, reply, code: reply.getChild("error")?.attrs.code, client };
}
interface Offer {
  methods: string[];
  sequence: string | undefined;
  token: string | undefined;
}
const zeroKnowledge = async (offer: Offer) =>
  `<hash>${await zeroKnowledgeHash(ann.password, offer.token ?? "", Number(offer.sequence))}</hash>`;
const startWithAnn = (options: ServerOptions = {}) => start({ accounts: [ann], ...options });

describe("the offer", () => {
  it("lists username, password, digest, sequence/token (known user), resource; only what is configured", async () => {
    const all = await startWithAnn();
    expect((await login(all, "a", () => `<password>${ann.password}</password>`)).offer.methods).toEqual([
      "username",
      "password",
      "digest",
      "sequence",
      "token",
      "resource",
    ]);
    const onlyZk = await startWithAnn({ authMethods: ["0k"] });
    expect((await login(onlyZk, "b", zeroKnowledge)).offer.methods).toEqual([
      "username",
      "sequence",
      "token",
      "resource",
    ]);
  });

  it("offers no sequence/token for an unknown user, and no iq-auth at all with authMethods []", async () => {
    const server = await startWithAnn();
    const client = await connect(server);
    client.send(iq("get", "o", AUTH, "<username>nobody</username>"));
    const names = (await client.next())
      .getChild("query")
      ?.getChildElements()
      .map((c) => c.name);
    expect(names).toEqual(["username", "password", "digest", "resource"]);
    const off = await startWithAnn({ authMethods: [] });
    const other = await connect(off);
    expect(other.features?.getChild("auth", "http://jabber.org/features/iq-auth")).toBeUndefined();
    other.send(iq("get", "o", AUTH, "<username>ann</username>"));
    expect((await other.next()).getChild("error")?.attrs.code).toBe("503");
  });
});

describe("the methods", () => {
  it("plaintext and digest (sha1 of this stream's id + password) log in", async () => {
    const server = await startWithAnn();
    expect((await login(server, "p", () => `<password>${ann.password}</password>`)).reply.attrs.type).toBe("result");
    const digest = await login(
      server,
      "d",
      async (_o, id) => `<digest>${await digestPassword(id, ann.password)}</digest>`,
    );
    expect(digest.reply.attrs.type).toBe("result");
  });

  it("refuses a method that is switched off with 401, even with the right secret", async () => {
    const server = await startWithAnn({ authMethods: ["digest"] });
    expect((await login(server, "p", () => `<password>${ann.password}</password>`)).code).toBe("401");
  });

  it("0k: the sequence goes down by one per login, the token stays", async () => {
    const server = await startWithAnn({ now: () => 0x5f5e1000 * 1000 });
    const seen: [string | undefined, string | undefined][] = [];
    for (const resource of ["one", "two", "three"]) {
      const { offer, reply } = await login(server, resource, zeroKnowledge);
      expect(reply.attrs.type).toBe("result");
      seen.push([offer.sequence, offer.token]);
    }
    expect(seen).toEqual([
      ["499", "5F5E1000"],
      ["498", "5F5E1000"],
      ["497", "5F5E1000"],
    ]);
    expect(server.users.get("ann")?.zeroKnowledge).toEqual({ sequence: 497, token: "5F5E1000" });
  });

  it("0k: a replayed hash fails (401): the server now expects the next one down", async () => {
    const server = await startWithAnn();
    const first = await login(server, "one", zeroKnowledge);
    expect(first.reply.attrs.type).toBe("result");
    expect((await login(server, "two", () => zeroKnowledge(first.offer))).code).toBe("401");
  });

  it("0k: a small chain runs out – not offered, 401 – until a password change sets up a new one", async () => {
    let now = 0x60000000 * 1000;
    const server = await startWithAnn({ zeroKnowledgeSequences: 2, now: () => now });
    const sequences: (string | undefined)[] = [];
    for (const resource of ["a", "b"]) {
      const { offer, reply } = await login(server, resource, zeroKnowledge);
      expect(reply.attrs.type).toBe("result");
      sequences.push(offer.sequence);
    }
    expect(sequences).toEqual(["1", "0"]);
    const spent = await login(
      server,
      "c",
      async () => `<hash>${await zeroKnowledgeHash(ann.password, "60000000", 0)}</hash>`,
    );
    expect([spent.offer.sequence, spent.offer.token, spent.code]).toEqual([undefined, undefined, "401"]);
    expect(spent.offer.methods).toEqual(["username", "password", "digest", "resource"]);

    // The reset: a password change in a plaintext session.
    now += 60_000;
    const session = await login(server, "d", () => `<password>${ann.password}</password>`);
    session.client.send(iq("set", "c", REGISTER, `<password>${ann.password}</password>`));
    expect((await session.client.next()).attrs.type).toBe("result");
    const renewed = await login(server, "e", zeroKnowledge);
    expect([renewed.offer.sequence, renewed.offer.token, renewed.reply.attrs.type]).toEqual([
      "1",
      "6000003C",
      "result",
    ]);
  });
});

describe("the refusals", () => {
  it("406 for a missing resource, a missing username or no proof; 401 for a wrong password or unknown user", async () => {
    const server = await startWithAnn();
    const client = await connect(server);
    const codes: (string | undefined)[] = [];
    for (const children of [
      `<username>ann</username><password>${ann.password}</password>`,
      `<password>${ann.password}</password><resource>r</resource>`,
      "<username>ann</username><resource>r</resource>",
      "<username>ann</username><password>wrong</password><resource>r</resource>",
      "<username>nobody</username><password>x</password><resource>r</resource>",
    ]) {
      client.send(iq("set", "s", AUTH, children));
      codes.push((await client.next()).getChild("error")?.attrs.code);
    }
    expect(codes).toEqual(["406", "406", "406", "401", "401"]);
  });

  it("409 for a resource in use; free again once that stream is gone; a 0k hash is not spent on a 409", async () => {
    const server = await startWithAnn();
    const first = await login(server, "desk", () => `<password>${ann.password}</password>`);
    const conflict = await login(server, "desk", zeroKnowledge);
    expect(conflict.code).toBe("409");
    expect(conflict.reply.getChild("error")?.getChildText("text", "urn:ietf:params:xml:ns:xmpp-stanzas")).toBe(
      "Resource Conflict",
    );
    expect(server.users.get("ann")?.zeroKnowledge.sequence).toBe(500);
    first.client.destroy();
    await first.client.closed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await login(server, "desk", zeroKnowledge)).reply.attrs.type).toBe("result");
  });

  it("a second login on an authenticated stream is a 400", async () => {
    const server = await startWithAnn();
    const { client } = await login(server, "r", () => `<password>${ann.password}</password>`);
    client.send(
      iq("set", "again", AUTH, `<username>ann</username><password>${ann.password}</password><resource>s</resource>`),
    );
    expect((await client.next()).getChild("error")?.attrs.code).toBe("400");
  });
});
