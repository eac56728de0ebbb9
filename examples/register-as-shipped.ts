// Register on a server someone else configured: with an invite when it takes only those, a CAPTCHA answered by you,
// and a throttle or an invite-only server explained instead of a bare error.
//   npx tsx examples/register-as-shipped.ts HOST[:PORT] USERNAME DOMAIN [INVITE_URI]
// The password comes from REGUSER_PASSWORD. A CAPTCHA's image is written to captcha.png and its answer read from
// stdin.
import { writeFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import {
  type Captcha,
  CaptchaFailedError,
  InviteInvalidError,
  InviteRequiredError,
  inquire,
  openStream,
  RegistrationThrottledError,
  register,
} from "reguser";

const [target = "", username, domain, invite] = process.argv.slice(2);
const password = process.env.REGUSER_PASSWORD;
if (!target || !username || !domain || !password) {
  console.error(
    "usage: REGUSER_PASSWORD=… npx tsx examples/register-as-shipped.ts HOST[:PORT] USERNAME DOMAIN [INVITE]",
  );
  process.exit(2);
}
const [host = "", port = "5222"] = target.split(":");

/** A person reads the image (or the fallback page) and types what it shows. */
async function askPerson(captcha: Captcha): Promise<string> {
  if (captcha.media) await writeFile("captcha.png", captcha.media.bytes);
  const where = captcha.media ? "the image in captcha.png" : `the page ${captcha.url}`;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(`What does ${where} show? `);
  } finally {
    prompt.close();
  }
}

const stream = await openStream({ host, port: Number(port), domain });
try {
  const inquiry = await inquire(stream);
  if (stream.features.invites) console.log("this server takes invites");
  await register(stream, { username, password }, { inquiry, invite, solveCaptcha: askPerson });
  console.log(`registered ${username}${invite ? " with the invite" : ""}`);
} catch (err) {
  // Each of these names what to change in its message.
  if (err instanceof InviteRequiredError) console.log(`invite-only: ${err.message}`);
  else if (err instanceof InviteInvalidError) console.log(`the invite was refused: ${err.message}`);
  else if (err instanceof RegistrationThrottledError) console.log(`throttled (${err.setting ?? "unknown setting"})`);
  else if (err instanceof CaptchaFailedError) console.log(`the CAPTCHA answers were refused ${err.attempts} times`);
  else throw err;
  process.exitCode = 1;
} finally {
  await stream.close();
}
