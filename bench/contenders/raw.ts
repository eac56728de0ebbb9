// The server's limit: one plain socket, every XEP-0077 IQ-set written at once, replies counted.
// No client can beat this; everything else is compared with it. With `oneAtATime` (jabberd2, which loses the replies
// to pipelined registrations: docs/traps.md#trap-2), each IQ-set is written once the previous one was answered.
import net from "node:net";
import xml, { type Element, Parser } from "@xmpp/xml";
import { accountOf, type Job, main, measure } from "./measure.js";

const NS_REGISTER = "jabber:iq:register";

function header(domain: string): string {
  // The one raw string: the stream header is not an element, so no codec builds it.
  return `<?xml version='1.0'?><stream:stream to='${domain}' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>`;
}

function registration(job: Job, i: number): string {
  const { username, password } = accountOf(job, i);
  return xml(
    "iq",
    { type: "set", id: `r${i}` },
    xml("query", { xmlns: NS_REGISTER }, xml("username", {}, username), xml("password", {}, password)),
  ).toString();
}

main(async (job) => {
  const socket = net.connect({ host: job.host, port: job.port });
  socket.setNoDelay(true);
  const parser = new Parser();
  let onElement: (el: Element) => void = () => {};
  parser.on("element", (el: Element) => onElement(el));
  parser.on("error", (err: Error) => socket.destroy(err));
  socket.on("data", (chunk: Buffer) => parser.write(chunk.toString("utf8")));
  const closed = new Promise<never>((_, reject) => {
    socket.on("error", reject);
    socket.on("close", () => reject(new Error("the server closed the connection")));
  });
  closed.catch(() => {});

  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  const features = new Promise<void>((resolve) => {
    onElement = (el) => el.name === "stream:features" && resolve();
  });
  socket.write(header(job.domain));
  await Promise.race([features, closed]);

  // Built before the clock starts: the ceiling measures the server, not our XML building.
  const requests = Array.from({ length: job.n }, (_, i) => registration(job, i));
  const oneAtATime = (job as Job & { oneAtATime?: boolean }).oneAtATime === true;
  const payload = oneAtATime ? "" : requests.join("");
  const result = await measure(job, async () => {
    let ok = 0;
    let failed = 0;
    const done = new Promise<void>((resolve) => {
      onElement = (el) => {
        if (el.name !== "iq") return;
        if (el.attrs.type === "result") ok += 1;
        else failed += 1;
        if (ok + failed >= job.n) resolve();
        else if (oneAtATime) socket.write(requests[ok + failed] as string);
      };
    });
    socket.write(oneAtATime ? (requests[0] as string) : payload);
    await Promise.race([done, closed]);
    return { ok, failed };
  });
  socket.end("</stream:stream>");
  return result;
});
