// get and set over any request function: the payload in, the payload out.
import { ProtocolError } from "@reguser/errors";
import xml, { type Element } from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { describeIq, getPayload, type IqRequest, setPayload } from "../src/index.js";

const echo = (reply: (iq: Element) => Element) => {
  const sent: Element[] = [];
  const request: IqRequest = async (iq) => {
    sent.push(iq);
    return reply(iq);
  };
  return { sent, request };
};

describe("getPayload and setPayload", () => {
  it("get sends an IQ-get of the payload and returns the result's payload of the same name and namespace", async () => {
    const { sent, request } = echo(() =>
      xml("iq", { type: "result" }, xml("query", { xmlns: "jabber:iq:register" }, xml("username"))),
    );
    const answer = await getPayload(request, xml("query", { xmlns: "jabber:iq:register" }));
    expect(answer.getChild("username")).toBeDefined();
    expect(sent[0]?.attrs).toEqual({ type: "get" });
  });

  it("get throws a ProtocolError when the result carries no such payload", async () => {
    const { request } = echo(() => xml("iq", { type: "result" }, xml("query", { xmlns: "jabber:iq:auth" })));
    const err = await getPayload(request, xml("query", { xmlns: "jabber:iq:register" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as Error).message).toBe("The result of the IQ get jabber:iq:register carries no <query/>");
  });

  it("set addresses `to` when asked, and returns the result's payload or undefined", async () => {
    const empty = echo(() => xml("iq", { type: "result" }));
    expect(await setPayload(empty.request, xml("query", { xmlns: "jabber:iq:register" }), { to: "localhost" })).toBe(
      undefined,
    );
    expect(empty.sent[0]?.attrs).toEqual({ type: "set", to: "localhost" });
    const full = echo(() => xml("iq", { type: "result" }, xml("query", { xmlns: "jabber:iq:auth" })));
    expect((await setPayload(full.request, xml("query", { xmlns: "jabber:iq:auth" })))?.name).toBe("query");
  });

  it("names a request by type and payload namespace, never its content", () => {
    const iq = xml("iq", { type: "set" }, xml("query", { xmlns: "jabber:iq:auth" }, xml("password", {}, "pw")));
    expect(describeIq(iq)).toBe("IQ set jabber:iq:auth");
  });
});
