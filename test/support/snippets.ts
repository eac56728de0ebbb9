// The code blocks of the READMEs, with the marker that says how each one runs.
//
// A marker is an HTML comment on the line before the fence (invisible where the README is rendered):
//   <!-- snippet: server=prosody expect="juliet" -->
//   <!-- snippet: no-run="a type signature, not a program" -->
// Keys: `no-run` (why the block is not a program), `run-by` (the test file that runs it instead), `server`
// (`embedded`, the default; `prosody`; `none`), `runner` (`vitest` for a test file), `expect` (text the
// output must contain; may repeat).
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export const SNIPPET_LANGUAGES = ["ts", "js", "sh"] as const;
export type SnippetLanguage = (typeof SNIPPET_LANGUAGES)[number];
export const SNIPPET_SERVERS = ["embedded", "prosody", "none"] as const;
export type SnippetServer = (typeof SNIPPET_SERVERS)[number];

export interface Snippet {
  /** Repository-relative path and 1-based line of the opening fence. */
  file: string;
  line: number;
  lang: SnippetLanguage;
  code: string;
  noRun?: string;
  runBy?: string;
  server: SnippetServer;
  runner: "node" | "vitest";
  expect: string[];
}

const FENCE = /^```(\w+)\s*$/;
const MARKER = /^<!--\s*snippet:(.*?)-->\s*$/;
const PAIR = /([a-z-]+)=(?:"([^"]*)"|(\S+))/g;

/** README.md and every packages/<name>/README.md under `root`. */
export function readmeFiles(root: string): string[] {
  const packages = readdirSync(join(root, "packages"), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, "packages", d.name, "README.md"))
    .filter((file) => {
      try {
        readFileSync(file);
        return true;
      } catch {
        return false;
      }
    });
  return [join(root, "README.md"), ...packages];
}

/** Every ts/js/sh block of one README, with its marker read (an unknown key or value throws). */
export function readSnippets(root: string, path: string): Snippet[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const file = relative(root, path);
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] as string);
    if (!open) continue;
    const close = lines.findIndex((l, j) => j > i && l.startsWith("```"));
    if (close < 0) throw new Error(`${file}:${i + 1}: code block never closed`);
    const lang = open[1] as string;
    const marker = MARKER.exec(lines[i - 1] ?? "")?.[1];
    if ((SNIPPET_LANGUAGES as readonly string[]).includes(lang)) {
      snippets.push(withMarker(file, i + 1, lang as SnippetLanguage, lines.slice(i + 1, close).join("\n"), marker));
    } else if (marker !== undefined) {
      throw new Error(`${file}:${i + 1}: a snippet marker on a ${lang} block, which never runs`);
    }
    i = close;
  }
  return snippets;
}

function withMarker(file: string, line: number, lang: SnippetLanguage, code: string, marker?: string): Snippet {
  const snippet: Snippet = { file, line, lang, code, server: "embedded", runner: "node", expect: [] };
  for (const [, key, quoted, bare] of (marker ?? "").matchAll(PAIR)) {
    const value = (quoted ?? bare) as string;
    if (key === "no-run") snippet.noRun = value;
    else if (key === "run-by") snippet.runBy = value;
    else if (key === "expect") snippet.expect.push(value);
    else if (key === "server" && (SNIPPET_SERVERS as readonly string[]).includes(value)) {
      snippet.server = value as SnippetServer;
    } else if (key === "runner" && (value === "node" || value === "vitest")) snippet.runner = value;
    else throw new Error(`${file}:${line}: unknown snippet marker ${key}=${value}`);
  }
  return snippet;
}

/** A short, file-system-safe name: `packages-auth-README-5`. */
export function snippetName(s: Snippet): string {
  return `${s.file.replace(/\.md$/, "").replace(/[^A-Za-z0-9]+/g, "-")}-${s.line}`;
}
