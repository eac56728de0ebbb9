import { startServer } from "@reguser/server";
import { authenticate, authMethods, openStream, register } from "reguser";

// 127.0.0.1, a free port, everything in memory; the book's jabberd 1.4 behaviour plus SASL PLAIN.
const server = await startServer({ domain: "localhost", zeroKnowledgeSequences: 100 });
const stream = await openStream({ host: server.host, port: server.port, domain: server.domain });
await register(stream, { username: "leslie", password: "correct-horse-battery" });
const offer = await authMethods(stream, "leslie");
console.log(`0k offered: sequence ${offer.zeroKnowledge?.sequence}, token ${offer.zeroKnowledge?.token}`);
const session = await authenticate(stream, {
  username: "leslie",
  password: "correct-horse-battery",
  resource: "readme",
  method: "0k",
});
// The server kept the hash it got and N − 1: the next IQ-get offers 98.
console.log(`logged in as ${session.jid}; the server keeps N = ${server.users.get("leslie")?.zeroKnowledge.sequence}`);
await stream.close();
await server.close();
