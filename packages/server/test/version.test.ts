// XEP-0092: the server names itself, before a login too (reguser doctor reads it).
import xml from "@xmpp/xml";
import { describe, expect, it } from "vitest";
import { useServers } from "./helpers/server.js";

const { start, streamTo } = useServers();

describe("jabber:iq:version", () => {
  it("answers reguser-server and this package's version", async () => {
    const stream = await streamTo(await start());
    const reply = await stream.get(xml("query", { xmlns: "jabber:iq:version" }), { to: stream.domain });
    expect(reply.getChildText("name")).toBe("reguser-server");
    expect(reply.getChildText("version")).toMatch(/^\d+\.\d+\.\d+/);
  });
});
