// Whether an account exists with this password: a login on a fresh stream says, "not authorized" means no.
import { authenticate, NotAuthorizedError, type OpenStreamOptions, openStream } from "reguser";

export async function canLogIn(options: OpenStreamOptions, username: string, password: string): Promise<boolean> {
  const stream = await openStream(options);
  try {
    await authenticate(stream, { username, password, resource: "check" });
    return true;
  } catch (err) {
    if (err instanceof NotAuthorizedError) return false;
    throw err;
  } finally {
    await stream.close();
  }
}
