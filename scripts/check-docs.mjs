#!/usr/bin/env node
// After typedoc (npm run docs): every option is documented. TypeDoc itself fails on an undocumented exported
// function or method, a referenced type that is not exported and a broken link (typedoc.json); TypeDoc cannot tell
// options from other properties, so this reads its JSON output: each property of an exported `…Options`
// interface or type needs a doc comment.
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const file = resolve(process.argv[2] ?? join(root, "api-docs", "api.json"));
const project = JSON.parse(readFileSync(file, "utf8"));

const KIND = { Interface: 256, TypeAlias: 2097152 };

const hasText = (comment) =>
  Boolean(comment && (comment.summary?.some((part) => part.text.trim() !== "") || comment.blockTags?.length));

function documented(member) {
  return (
    hasText(member.comment) ||
    (member.signatures ?? []).some((s) => hasText(s.comment)) ||
    hasText(member.getSignature?.comment) ||
    hasText(member.type?.declaration?.signatures?.[0]?.comment)
  );
}

/** The members of an interface, or of a type alias that is an object type. */
function membersOf(reflection) {
  if (reflection.kind === KIND.Interface) return reflection.children ?? [];
  if (reflection.kind === KIND.TypeAlias) return reflection.type?.declaration?.children ?? [];
  return [];
}

/** Where a reflection is declared: the facade documents its siblings' dist/*.d.ts, named here by their source. */
const sourceOf = (reflection) => reflection.sources?.[0]?.fileName.replace(/\/dist\/(.*)\.d\.ts$/, "/src/$1.ts");

const missing = new Set();
let checked = 0;
function visit(reflection) {
  if (/Options$/.test(reflection.name) && (reflection.kind === KIND.Interface || reflection.kind === KIND.TypeAlias)) {
    checked++;
    for (const member of membersOf(reflection)) {
      if (member.inheritedFrom || documented(member)) continue;
      const where = sourceOf(member) ?? sourceOf(reflection) ?? "?";
      missing.add(`${reflection.name}.${member.name} (${where})`);
    }
  }
  for (const child of reflection.children ?? []) visit(child);
}
visit(project);

if (checked === 0) {
  console.error(`check-docs: no …Options types in ${file}: is it TypeDoc's JSON output?`);
  process.exit(1);
}
if (missing.size > 0) {
  console.error(`check-docs: ${missing.size} options without a doc comment:\n  ${[...missing].sort().join("\n  ")}`);
  process.exit(1);
}
console.log(`check-docs: every option of ${checked} …Options types is documented`);
