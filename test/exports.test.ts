// The exact public surface of every package: each export-map entry's names (values and types) as the compiled
// declarations give them, against a snapshot. A new export, or a leaked internal, fails here until the snapshot
// is updated on purpose (`npx vitest run test/exports.test.ts -u`) and the CHANGELOG says so.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Entry {
  pkg: string;
  subpath: string;
  declarations: string;
}

/** Every package's export-map entries that have types, with the built .d.ts each resolves to. */
function entries(): Entry[] {
  return readdirSync(join(ROOT, "packages")).flatMap((dir) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8"));
    return Object.entries(manifest.exports ?? {}).flatMap(([subpath, target]) => {
      const types = typeof target === "object" && target ? (target as Record<string, string>).types : undefined;
      return types ? [{ pkg: manifest.name as string, subpath, declarations: join(ROOT, "packages", dir, types) }] : [];
    });
  });
}

/** The names a declaration file exports, each marked `value`, `type` or `value+type`. */
function exportedNames(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`${file}: no module symbol (is the package built?)`);
  return checker
    .getExportsOfModule(module)
    .map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const value = (target.flags & ts.SymbolFlags.Value) !== 0;
      const type = (target.flags & (ts.SymbolFlags.Type | ts.SymbolFlags.Namespace)) !== 0;
      return `${symbol.name} (${value && type ? "value+type" : value ? "value" : "type"})`;
    })
    .sort();
}

const all = entries();
// One program for every entry: the packages share most of their declarations.
const options = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true };
const program = ts.createProgram(
  all.map((e) => e.declarations),
  options,
);

describe("the public surface of every package", () => {
  it("has entries to check", () => {
    expect(all.length).toBeGreaterThan(12);
  });

  it.each(all.map((e) => [`${e.pkg}${e.subpath === "." ? "" : e.subpath.slice(1)}`, e] as const))(
    "%s exports exactly its snapshot",
    async (name, entry) => {
      const file = join(ROOT, "test", "__snapshots__", "exports", `${name.replace(/[@/]/g, "_")}.txt`);
      await expect(`${exportedNames(program, entry.declarations).join("\n")}\n`).toMatchFileSnapshot(file);
    },
  );
});
