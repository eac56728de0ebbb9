// The web session bridge over real Prosody and ejabberd: a page's user registers and logs in through the bridge,
// a second account (an @xmpp/client session registered through @reguser/xmppjs) sends it directed presence and
// chats whose bodies hold what broke the seed's hand-made JSON; the page's user answers through POST /message.
import { registerThenLogin } from "@reguser/xmppjs";
import { client, xml } from "@xmpp/client";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RunningServer, type ServerKind, startServer } from "./servers/index.js";
import { type BridgeFixture, startBridge } from "./support/bridge-fixture.js";
import { describeTarget } from "./support/describe-target.js";
import { strongPassword, uniqueName } from "./support/names.js";
import { ejabberd, prosody } from "./support/real-targets.js";
import { openSse } from "./support/sse-client.js";
import type { Target } from "./support/target.js";

/**
 * Bodies the seed's string-built JSON broke on, and characters beyond the BMP. (No CR: XML parsers turn CR LF into
 * LF before anyone sees the text, XML 1.0 §2.11.)
 */
const BODIES = [
  'say "hi"',
  "two\nlines\nand a tab\t",
  "</script><script>alert(1)</script>",
  "emoji 🔑 and 𝄞",
  "back\\slash",
];

function bridgeSuite(target: Target) {
  let server: RunningServer;
  let gw: BridgeFixture;
  beforeAll(async () => {
    server = await startServer(target.name as ServerKind);
    gw = await startBridge(
      { service: `xmpp://${server.host}:${server.port}`, domain: server.domain },
      { allowRegistration: true },
    );
  });
  afterAll(async () => {
    await gw?.stop();
    await server?.stop();
  });

  it("register, log in, receive presence and chats as JSON events, answer with POST /message", async () => {
    const page = { username: uniqueName("page"), password: strongPassword() };
    const registered = await gw.post(`/register/${page.username}`, { body: page.password });
    expect(registered.status).toBe(200);
    const token = registered.json.token as string;
    const sse = await openSse(`${gw.url}/sse?ticket=${await gw.ticket(token)}`);
    const other = { username: uniqueName("peer"), password: strongPassword() };
    const peer = client({
      service: `xmpp://${server.host}:${server.port}`,
      domain: server.domain,
      resource: "peer",
      ...other,
    });
    peer.on("error", () => {});
    const received: Array<{ from: string; body: string }> = [];
    peer.on("stanza", (stanza) => {
      const body = stanza.is("message") ? stanza.getChildText("body") : null;
      if (body !== null) received.push({ from: stanza.attrs.from, body });
    });
    try {
      expect(await sse.next("onConnect")).toMatchObject({ username: page.username });
      await registerThenLogin(peer, other);
      const pageJid = `${page.username}@${server.domain}`;
      await peer.send(xml("presence", { to: pageJid }, xml("show", {}, "chat"), xml("status", {}, 'ready "now"')));
      expect(await sse.next("chatapi.presence")).toMatchObject({
        from: `${other.username}@${server.domain}/peer`,
        type: "available",
        show: "chat",
        status: 'ready "now"',
      });
      // A tab that opens now learns who is online right after onConnect.
      const late = await openSse(`${gw.url}/sse?ticket=${await gw.ticket(token)}`);
      await late.next("onConnect");
      expect(await late.next("chatapi.presence")).toMatchObject({
        from: `${other.username}@${server.domain}/peer`,
        show: "chat",
      });
      late.close();
      for (const body of BODIES) await peer.send(xml("message", { to: pageJid, type: "chat" }, xml("body", {}, body)));
      for (const body of BODIES) {
        expect(await sse.next("chatapi.chat")).toEqual({
          type: "chat",
          from: `${other.username}@${server.domain}/peer`,
          to: expect.stringMatching(new RegExp(`^${pageJid}`)),
          body,
        });
      }
      await peer.send(xml("message", { to: pageJid, type: "headline" }, xml("body", {}, "system notice")));
      expect(await sse.next("chatapi.chat")).toMatchObject({ type: "headline", body: "system notice" });

      const answer = await gw.post("/message", {
        token,
        json: { to: `${other.username}@${server.domain}/peer`, body: 'ok "peer"' },
      });
      expect(answer.status).toBe(202);
      for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received).toEqual([{ from: expect.stringMatching(new RegExp(`^${pageJid}/web-`)), body: 'ok "peer"' }]);

      // The peer leaves: the server tells the page, which had its directed presence.
      await peer.stop();
      expect(await sse.next("chatapi.presence")).toMatchObject({ type: "unavailable" });
    } finally {
      sse.close();
      await peer.stop().catch(() => {});
    }
  });
}

describeTarget(prosody, () => bridgeSuite(prosody));
describeTarget(ejabberd, () => bridgeSuite(ejabberd));
