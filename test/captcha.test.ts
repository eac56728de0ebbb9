// CAPTCHA-protected registration on a real ejabberd (captcha_protected: true; docs/shipped.md#captcha): its
// captcha_cmd is a stub that writes each key (the answer) where the solver below reads it.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CaptchaFailedError,
  CaptchaRequiredError,
  inquire,
  NotAllowedError,
  type OpenStreamOptions,
  openStream,
  register,
} from "reguser";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ejabberdCaptchaKeys, type RunningServer, startServer } from "./servers/index.js";
import { canLogIn } from "./support/can-log-in.js";
import { BIN, buildCli } from "./support/cli-binary.js";
import { connectOverWebSocket, connectTo } from "./support/connect-to.js";
import { describeTarget } from "./support/describe-target.js";
import { ejabberd } from "./support/real-targets.js";
import { overWebSocket } from "./support/target.js";

// The same over TCP and over the server's WebSocket endpoint (RFC 7395); the CLI speaks TCP only.
for (const webSocket of [false, true]) {
  describeTarget(webSocket ? overWebSocket(ejabberd) : ejabberd, () => {
    let server: RunningServer;
    let connect: OpenStreamOptions;
    beforeAll(async () => {
      server = await startServer("ejabberd", { ...{ captcha: true }, webSocket });
      connect = webSocket ? connectOverWebSocket(server) : connectTo(server);
      buildCli();
    });
    afterAll(async () => {
      await server?.stop();
    });

    /** What the image shows: the key ejabberd last gave the stub. */
    const lastKey = async () => (await ejabberdCaptchaKeys(server)).at(-1) ?? "";

    it("the inquiry exposes the CAPTCHA: answer field, image bytes and type, fallback page", async () => {
      const stream = await openStream(connect);
      try {
        const { captcha } = await inquire(stream);
        expect(captcha).toMatchObject({ field: "ocr", formType: "jabber:iq:register" });
        expect(captcha?.challenge).toMatch(/\S/);
        expect(captcha?.media?.type).toBe("image/png");
        expect(new TextDecoder().decode(captcha?.media?.bytes.subarray(1, 4))).toBe("PNG");
        expect(captcha?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/captcha\//);
      } finally {
        await stream.close();
      }
    });

    it("registers with the right answer, echoing the hidden fields", async () => {
      const stream = await openStream(connect);
      try {
        const inquiry = await inquire(stream);
        await register(stream, { username: "human", password: "human-password-1" }, { inquiry, solveCaptcha: lastKey });
      } finally {
        await stream.close();
      }
      expect(await canLogIn(connect, "human", "human-password-1")).toBe(true);
    });

    it("a wrong answer fetches a fresh challenge and tries again; all wrong is CaptchaFailedError", async () => {
      const stream = await openStream(connect);
      const challenges: string[] = [];
      let tries = 0;
      try {
        const inquiry = await inquire(stream);
        // Wrong first, then right: the second try must be on a new challenge (the first is spent).
        await register(
          stream,
          { username: "second", password: "second-password-1" },
          {
            inquiry,
            solveCaptcha: async (captcha) => {
              challenges.push(captcha.challenge ?? "");
              tries += 1;
              return tries === 1 ? "wrong" : lastKey();
            },
          },
        );
        expect(tries).toBe(2);
        expect(new Set(challenges).size).toBe(2);
        const err = await register(
          stream,
          { username: "robot", password: "robot-password-1" },
          {
            inquiry: await inquire(stream),
            solveCaptcha: () => "wrong",
            captchaAttempts: 2,
          },
        ).catch((e) => e);
        expect(err).toBeInstanceOf(CaptchaFailedError);
        expect(err.attempts).toBe(2);
        expect(err.cause).toBeInstanceOf(NotAllowedError);
        expect(err.text).toMatch(/CAPTCHA verification has failed/);
      } finally {
        await stream.close();
      }
      expect(await canLogIn(connect, "second", "second-password-1")).toBe(true);
      expect(await canLogIn(connect, "robot", "robot-password-1")).toBe(false);
    });

    it("a reused challenge is refused even with its right answer", async () => {
      const stream = await openStream(connect);
      try {
        const inquiry = await inquire(stream);
        const answer = await lastKey();
        await register(stream, { username: "once", password: "once-password-1", ocr: answer }, { inquiry });
        const reused = await register(
          stream,
          { username: "twice", password: "twice-password-1", ocr: answer },
          {
            inquiry,
          },
        ).catch((e) => e);
        expect(reused).toBeInstanceOf(NotAllowedError);
      } finally {
        await stream.close();
      }
    });

    it("without a solver: CaptchaRequiredError before sending; a plain field attempt is not-allowed", async () => {
      const stream = await openStream(connect);
      try {
        const inquiry = await inquire(stream);
        const err = await register(
          stream,
          { username: "nosolver", password: "nosolver-password-1" },
          { inquiry },
        ).catch((e) => e);
        expect(err).toBeInstanceOf(CaptchaRequiredError);
        expect(err.fields).toEqual(["ocr"]);
        expect(err.message).toMatch(/solveCaptcha/);
        const plain = await register(
          stream,
          { username: "plain", password: "plain-password-1" },
          {
            useForm: false,
          },
        ).catch((e) => e);
        expect(plain).toBeInstanceOf(NotAllowedError);
      } finally {
        await stream.close();
      }
    });

    if (!webSocket) {
      it("reguser writes the image to --captcha-out and reads the answer after the password", async () => {
        const dir = mkdtempSync(join(tmpdir(), "reguser-captcha-"));
        const image = join(dir, "captcha.png");
        try {
          const before = (await ejabberdCaptchaKeys(server)).length;
          const args = [BIN, `${server.host}:${server.port}`, "--domain", server.domain, "username=clicaptcha"];
          const child = spawn(process.execPath, [...args, "--password-stdin", "--captcha-out", image]);
          let stdout = "";
          let stderr = "";
          child.stdout.on("data", (d) => (stdout += d));
          child.stderr.on("data", (d) => (stderr += d));
          const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
          child.stdin.write("clicaptcha-password-1\n");
          // The answer exists once the inquiry made ejabberd draw it: wait for the stub's new key (bounded).
          let key: string | undefined;
          for (let i = 0; i < 600 && key === undefined; i++) {
            key = (await ejabberdCaptchaKeys(server))[before];
            if (key === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
          }
          child.stdin.end(`${key}\n`);
          expect(await exited).toBe(0);
          expect(stdout).toBe("[Attempt] (clicaptcha) Successful registration\n");
          expect(stderr).toContain(`is in ${image}`);
          expect(readFileSync(image).subarray(1, 4).toString()).toBe("PNG");
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        expect(await canLogIn(connect, "clicaptcha", "clicaptcha-password-1")).toBe(true);
      });
    }
  });
}
