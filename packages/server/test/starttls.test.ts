// RFC 6120 §5 STARTTLS on the embedded server, with a certificate made at test time.

import { type PemPair, selfSignedPem } from "@reguser/test-kit";
import { authenticate, openStream, register } from "reguser";
import { beforeAll, describe, expect, it } from "vitest";
import { modernHeader } from "./helpers/raw-client.js";
import { useServers } from "./helpers/server.js";

const { start, connect } = useServers();
const TLS = "urn:ietf:params:xml:ns:xmpp-tls";
const SASL = "urn:ietf:params:xml:ns:xmpp-sasl";
let tls: PemPair;
beforeAll(() => {
  tls = selfSignedPem();
});

describe("STARTTLS", () => {
  it("is offered only with a certificate", async () => {
    const plain = await connect(await start());
    expect(plain.features?.getChild("starttls", TLS)).toBeUndefined();
    const secured = await connect(await start({ tls }));
    expect(secured.features?.getChildElements().map((c) => c.name)).toEqual([
      "starttls",
      "mechanisms",
      "register",
      "auth",
    ]);
  });

  it("proceeds, upgrades the socket, restarts the stream without starttls in the features, then SASL works", async () => {
    const server = await start({ tls, accounts: [{ username: "ann", password: "pw" }] });
    const client = await connect(server);
    client.send(`<starttls xmlns='${TLS}'/>`);
    expect((await client.next()).is("proceed", TLS)).toBe(true);
    const socket = await client.startTls(tls.cert, modernHeader("localhost"));
    expect(socket.authorized).toBe(true);
    const features = await client.next();
    expect(features.getChild("starttls", TLS)).toBeUndefined();
    client.send(
      `<auth xmlns='${SASL}' mechanism='PLAIN'>${Buffer.from("\u0000ann\u0000pw").toString("base64")}</auth>`,
    );
    expect((await client.next()).is("success", SASL)).toBe(true);
  });

  it("works for the reguser client (tls: 'starttls', the test certificate as CA): register and 0k login", async () => {
    const server = await start({ tls });
    const options = {
      host: server.host,
      port: server.port,
      domain: server.domain,
      tls: "starttls" as const,
      ca: tls.cert,
    };
    const stream = await openStream(options);
    await register(stream, { username: "ann", password: "correct horse" });
    const session = await authenticate(stream, {
      username: "ann",
      password: "correct horse",
      resource: "r",
      method: "0k",
    });
    expect(session.jid).toBe("ann@localhost/r");
    await stream.close();
  });

  it("answers <failure/> and closes when STARTTLS is not offered", async () => {
    const client = await connect(await start());
    client.send(`<starttls xmlns='${TLS}'/>`);
    expect((await client.next()).is("failure", TLS)).toBe(true);
    await client.closed;
  });
});
