// A user's program against the published packages: the facade and the embedded server, as installed from the
// tarballs. test/pack.test.ts type-checks it strictly (skipLibCheck: false), runs it and reads what it prints.
import { startServer } from "@reguser/server";
import {
  authenticate,
  ConflictError,
  inquire,
  NotAuthorizedError,
  type OpenStreamOptions,
  openStream,
  register,
  type Session,
  XmppError,
} from "reguser";

const server = await startServer({ host: "127.0.0.1", port: 0, domain: "localhost" });
const options: OpenStreamOptions = { host: server.host, port: server.port, domain: server.domain };
const account = { username: "consumer", password: "correct-horse-battery" };

/** The error `promise` rejects with; a resolved promise is a failure of this program. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection");
}

try {
  const stream = await openStream(options);
  const info = await inquire(stream);
  console.log(`inquiry: ${info.fields.join(" ")}`);
  await register(stream, account);
  console.log(`registered: ${account.username}`);
  const taken = await rejection(register(stream, { ...account, password: "another-horse-battery" }));
  if (!(taken instanceof ConflictError)) throw new Error(`not a ConflictError: ${String(taken)}`);
  const code: number | undefined = taken.code;
  console.log(`duplicate: ${taken.name} ${code} ${taken.condition} ${taken instanceof XmppError}`);
  await stream.close();

  for (const method of ["plain", "digest", "0k"] as const) {
    const login = await openStream(options);
    const session: Session = await authenticate(login, { ...account, resource: `pack-${method}`, method });
    console.log(`login: ${session.jid} ${session.method}`);
    await login.close();
  }

  const wrong = await openStream(options);
  const refused = await rejection(authenticate(wrong, { ...account, password: "wrong-horse-battery", resource: "x" }));
  console.log(`wrong password: ${refused instanceof NotAuthorizedError ? "NotAuthorizedError" : String(refused)}`);
  await wrong.close();
} finally {
  await server.close();
}
