// The quick start: an embedded server, then the whole account lifecycle through the public reguser API.
//   npm start
import { startServer } from "@reguser/server";
import { authenticate, authMethods, changePassword, inquire, openStream, register, removeAccount } from "reguser";

const server = await startServer({ domain: "localhost" }); // 127.0.0.1, a free port
const options = { host: server.host, port: server.port, domain: server.domain };
const say = (line: string) => console.log(line);
say(`embedded server on ${server.host}:${server.port} (domain ${server.domain})`);

try {
  const stream = await openStream(options);
  const info = await inquire(stream);
  say(`[inquiry] fields: ${info.fields.join(" ")} – "${info.instructions}"`);

  const account = { username: "leslie", password: "correct-horse-battery", name: "Leslie Hawke" };
  await register(stream, account, { inquiry: info }); // answers a data form if the server offered only one
  say(`[register] ${account.username} registered`);
  await stream.close();

  for (const method of ["plain", "digest", "0k"] as const) {
    const login = await openStream(options);
    const offer = await authMethods(login, account.username);
    const session = await authenticate(login, { ...account, resource: `quickstart-${method}`, method });
    const zk = offer.zeroKnowledge ? `, 0k sequence ${offer.zeroKnowledge.sequence}` : "";
    say(`[login] ${method.padEnd(6)} → ${session.jid} (stream ${login.id}${zk})`);
    await login.close();
  }

  const session = await openStream(options);
  await authenticate(session, { ...account, resource: "quickstart" });
  await changePassword(session, { username: account.username, password: "staple-battery-horse" });
  say("[change] password changed");
  await removeAccount(session);
  say(`[remove] account removed; the server ended the stream: ${session.closed}; accounts left: ${server.users.size}`);
} finally {
  await server.close();
}
