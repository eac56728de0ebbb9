// The machine and the versions a result belongs to.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { findTsung, tsungVersion } from "../contenders/tsung-lib.js";
import { REPO_ROOT } from "./child.js";
import type { Python } from "./python.js";

export interface Machine {
  cpu: string;
  nproc: number;
  memoryGiB: number;
  kernel: string;
  versions: Record<string, string>;
}

function debVersion(pkg: string): string {
  try {
    return (
      execFileSync("dpkg-query", ["-W", "-f", "$" + "{Version}", pkg], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "ignore"],
      }).trim() || "not installed"
    );
  } catch {
    return "not installed";
  }
}

function npmVersion(name: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, "node_modules", name, "package.json"), "utf8")) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return "not installed";
  }
}

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    return line?.split(":")[1]?.trim() ?? os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

/** Tsung as the tsung-per-user contender finds it: Debian's package version, else the script's own. */
function tsungDescription(): string {
  const file = findTsung();
  if (!file) return "not installed";
  const deb = debVersion("tsung");
  return `${deb !== "not installed" ? deb : (tsungVersion(file) ?? "unknown version")} (${file})`;
}

/** The library's tree as measured: children load packages/ from src, uncommitted edits included. */
function treeVersion(): string {
  try {
    const git = (args: string[]) =>
      execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git(["status", "--porcelain", "packages"]) !== "";
    return `git ${git(["rev-parse", "--short", "HEAD"])}${dirty ? " with uncommitted changes in packages/" : ""}`;
  } catch {
    return "unknown (not a git checkout)";
  }
}

export function describeMachine(python: Python | undefined): Machine {
  return {
    cpu: cpuModel(),
    nproc: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    kernel: `${os.type()} ${os.release()}`,
    versions: {
      Node: process.version,
      reguser: `${npmVersion("reguser")} (${treeVersion()})`,
      Prosody: debVersion("prosody"),
      ejabberd: debVersion("ejabberd"),
      slixmpp: python ? `${python.slixmpp} (${python.path})` : "not found",
      Tsung: tsungDescription(),
      "@xmpp/client": npmVersion("@xmpp/client"),
      "@xmpp/xml": npmVersion("@xmpp/xml"),
    },
  };
}
