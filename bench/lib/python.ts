// A python3 that can import slixmpp (Debian's python3-slixmpp lives under /usr/bin/python3, not a pyenv shim).
import { execFileSync } from "node:child_process";

export interface Python {
  path: string;
  slixmpp: string;
}

export function findPython(env: NodeJS.ProcessEnv): Python | undefined {
  const candidates = [env.BENCH_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => Boolean(p));
  for (const path of candidates) {
    try {
      const out = execFileSync(path, ["-c", "import slixmpp; print(slixmpp.__version__)"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
        timeout: 20_000,
      });
      return { path, slixmpp: out.trim() };
    } catch {
      // not this one
    }
  }
  return undefined;
}
