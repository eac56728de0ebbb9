// The security default end to end: no plaintext password leaves for a remote host over an unencrypted stream.
import { Duplex } from "node:stream";
import { authenticate } from "@reguser/auth";
import { InsecureConnectionError } from "@reguser/errors";
import { openStream } from "@reguser/stream";
import { describe, expect, it } from "vitest";
import { changePassword, register } from "../src/index.js";

/** A socket whose peer is a remote address, answered by a script: the edge of the network, nothing of ours faked. */
function remoteSocket(sent: string[]): Duplex {
  const socket = new Duplex({
    read() {},
    write(chunk, _encoding, done) {
      const text = String(chunk);
      sent.push(text);
      if (text.includes("<stream:stream")) {
        socket.push(
          "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='R1' from='example.org'>",
        );
      }
      if (text.includes("jabber:iq:auth") && text.includes('type="get"')) {
        const id = /id="([^"]+)"/.exec(text)?.[1];
        socket.push(
          `<iq type='result' id='${id}'><query xmlns='jabber:iq:auth'><username/><password/><resource/></query></iq>`,
        );
      }
      done();
    },
  });
  Object.defineProperty(socket, "remoteAddress", { value: "203.0.113.7" });
  return socket;
}

describe("plaintext passwords to a remote host over an unencrypted stream", () => {
  it("are refused before anything is sent, unless allowInsecure", async () => {
    const sent: string[] = [];
    const stream = await openStream({ host: "example.org", legacy: true, tls: "none", socket: remoteSocket(sent) });
    const account = { username: "dj", password: "never-on-the-wire" };
    await expect(register(stream, account)).rejects.toBeInstanceOf(InsecureConnectionError);
    await expect(changePassword(stream, account)).rejects.toBeInstanceOf(InsecureConnectionError);
    await expect(authenticate(stream, { ...account, resource: "r", method: "plain" })).rejects.toThrow(
      /Refusing to send a plaintext password over an unencrypted stream to 203\.0\.113\.7/,
    );
    expect(sent.join("")).not.toContain("never-on-the-wire");
    await stream.close();

    const allowed: string[] = [];
    const open = await openStream({
      host: "example.org",
      legacy: true,
      tls: "none",
      allowInsecure: true,
      socket: remoteSocket(allowed),
    });
    const attempt = register(open, account, { timeout: 50 }).catch(() => undefined);
    await attempt;
    expect(allowed.join("")).toContain("<password>never-on-the-wire</password>");
    open.destroy();
  });
});
