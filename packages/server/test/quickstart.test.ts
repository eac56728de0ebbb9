// `npm start` must print the whole transcript and exit 0.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, it } from "vitest";

it("runs the quick start end to end", async () => {
  const { stdout } = await promisify(execFile)(
    "npx",
    ["tsx", "--conditions=@reguser/source", "examples/quickstart.ts"],
    {
      timeout: 30_000,
    },
  );
  expect(stdout).toMatch(/\[inquiry\] fields: name email username password/);
  expect(stdout).toContain("[register] leslie registered");
  for (const method of ["plain ", "digest", "0k    "]) {
    expect(stdout).toMatch(new RegExp(`\\[login\\] ${method} → leslie@localhost/quickstart-`));
  }
  expect(stdout).toContain("[change] password changed");
  expect(stdout).toContain("the server ended the stream: true; accounts left: 0");
});
