// docs/ holds the design knowledge: nothing in the repository may point outside it (team notes next to the
// checkout, a development machine's paths), and every docs page and anchor cited anywhere must exist.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The text files git tracks (generated output lying around is not the project's), as paths from the root. */
function repoFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z"], { cwd: root, encoding: "utf8" });
  const text = /\.(?:ts|mts|cts|js|mjs|cjs|json|md|sh|py|ya?ml|toml|txt)$|^\.ci\/|(?:^|\/)\.gitignore$/;
  return [...new Set(out.split("\0"))].filter((f) => text.test(f) && existsSync(join(root, f)));
}

const files = repoFiles().map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }));

/** What must not be cited: the team's notes outside the repository, and absolute paths of someone's machine. */
const FORBIDDEN: readonly { what: string; pattern: RegExp }[] = [
  { what: "a path outside the repository", pattern: /\.\.\/shared\b|\bseeds\/\d{3}_/ },
  { what: "a team note instead of docs/", pattern: /\b(?:PROTOCOL|PROVISIONING|SHIPPED|STYLE)\.md\b/ },
  { what: "an absolute home or work path", pattern: /(?<![\w.~-])\/(?:work|home|root|Users)\/[\w.-]/ },
];

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split("\n").length;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens (github-slugger). */
function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]*>/g, "")
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, "")
    .replace(/ /g, "-");
}

/** Every anchor a markdown file offers: its headings (outside code fences, repeats numbered) and `<a id>`s. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split("\n")) {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker && (fence === undefined || fence === marker)) {
      fence = fence === undefined ? marker : undefined;
      continue;
    }
    if (fence !== undefined) continue;
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1];
    if (heading !== undefined) {
      const base = slug(heading);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const m of line.matchAll(/<a\s+(?:id|name)=["']([^"']+)["']/g)) anchors.add(m[1] as string);
  }
  return anchors;
}

const anchorCache = new Map<string, Set<string>>();
function anchorsOfFile(path: string): Set<string> {
  let anchors = anchorCache.get(path);
  if (!anchors) {
    anchors = anchorsOf(readFileSync(join(root, path), "utf8"));
    anchorCache.set(path, anchors);
  }
  return anchors;
}

interface Citation {
  from: string;
  line: number;
  /** The cited file, from the root. */
  target: string;
  anchor: string | undefined;
}

/** `docs/<page>.md#<anchor>` (any `../` before it) anywhere, and relative links inside the docs pages. */
function citations(): Citation[] {
  const found: Citation[] = [];
  for (const { path, text } of files) {
    for (const m of text.matchAll(/(?<![\w.-])(?:\.\.\/)*docs\/([\w.-]+\.md)(?:#([\w-]+))?/g)) {
      found.push({ from: path, line: lineOf(text, m.index), target: `docs/${m[1]}`, anchor: m[2] });
    }
    if (path.startsWith("docs/") && path.endsWith(".md")) {
      for (const m of text.matchAll(/\]\(([^)\s]*)\)/g)) {
        const link = m[1] as string;
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
        const [file = "", anchor] = link.split("#");
        const target = file === "" ? path : normalize(join(dirname(path), file));
        found.push({ from: path, line: lineOf(text, m.index), target, anchor: anchor || undefined });
      }
    }
  }
  return found;
}

describe("docs/ is the one place design knowledge is cited", () => {
  it("no file points outside the repository or at a development machine", () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    for (const { path, text } of files) {
      for (const { what, pattern } of FORBIDDEN) {
        for (const m of text.matchAll(new RegExp(pattern.source, "g"))) {
          const line = lineOf(text, m.index);
          offenders.push(`${path}:${line}: ${what}: ${text.split("\n")[line - 1]?.trim()}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });

  it("every cited docs page and anchor exists", () => {
    const all = citations();
    expect(all.filter((c) => c.anchor !== undefined && !c.from.startsWith("docs/")).length).toBeGreaterThan(10);
    const broken = all
      .filter(({ target, anchor }) => {
        if (!existsSync(join(root, target))) return true;
        if (anchor === undefined) return false;
        return !(statSync(join(root, target)).isFile() && target.endsWith(".md") && anchorsOfFile(target).has(anchor));
      })
      .map((c) => `${c.from}:${c.line}: ${c.target}${c.anchor === undefined ? "" : `#${c.anchor}`}`);
    expect(broken).toEqual([]);
  });

  it("computes anchors as GitHub does", () => {
    expect(slug("Trap 3")).toBe("trap-3");
    expect(slug("3.4 Rules")).toBe("34-rules");
    expect(slug("4.1 ejabberd HTTP API")).toBe("41-ejabberd-http-api");
    expect(slug("jabberd 1.4")).toBe("jabberd-14");
    expect(slug("Register and remove")).toBe("register-and-remove");
    expect([...anchorsOf("# A\n```\n# Not\n```\n## A\n")]).toEqual(["a", "a-1"]);
  });
});
