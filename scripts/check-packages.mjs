#!/usr/bin/env node
// npm run check:packages [-- TARBALL_DIR]: every workspace package as npm would publish it, checked by
// @arethetypeswrong/cli (ESM-only profile), publint (warnings are errors) and our own metadata rules.
// Without a directory it builds, packs every public workspace package into a temporary one and removes it afterwards
// (private workspaces such as test/kit are never published, so never packed).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(import.meta.url);
const root = resolve(dirname(here), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/** Run a command; its output is returned, and shown only when it fails. */
function run(command, args, options = {}) {
  const r = spawnSync(command, args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    ...options,
  });
  return { ok: r.status === 0, output: `${r.stdout ?? ""}${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/** The fields every published package.json must have (issue 12 §4). */
function metadataProblems(pkg, files) {
  const problems = [];
  if (typeof pkg.description !== "string" || pkg.description.trim() === "") problems.push("no description");
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problems.push("no keywords");
  if (typeof pkg.homepage !== "string" || !pkg.homepage.startsWith("https://")) problems.push("no homepage");
  if (typeof pkg.bugs?.url !== "string") problems.push("no bugs.url");
  if (pkg.repository?.type !== "git" || typeof pkg.repository?.url !== "string") problems.push("no git repository");
  if (typeof pkg.repository?.directory !== "string") problems.push("no repository.directory");
  if (pkg.sideEffects !== false) problems.push("sideEffects is not false");
  if (pkg.license !== "MIT") problems.push("license is not MIT");
  if (!pkg.files?.includes("LICENSE")) problems.push('"files" does not list LICENSE');
  if (!files.includes("package/LICENSE")) problems.push("the tarball has no LICENSE");
  if (!files.includes("package/README.md")) problems.push("the tarball has no README.md");
  if (files.some((f) => f.endsWith(".test.ts") || f.endsWith(".test.js"))) problems.push("the tarball ships tests");
  return problems;
}

function tarballFiles(tarball) {
  const r = run("tar", ["-tzf", tarball]);
  if (!r.ok) throw new Error(`cannot list ${tarball}: ${r.output}`);
  return r.output.split("\n").filter(Boolean);
}

function packageJsonOf(tarball) {
  const r = run("tar", ["-xzOf", tarball, "package/package.json"]);
  if (!r.ok) throw new Error(`no package.json in ${tarball}: ${r.output}`);
  return JSON.parse(r.output);
}

/** Check every .tgz in `dir`; returns the number of failed packages. */
export function checkTarballs(dir) {
  const tarballs = readdirSync(dir)
    .filter((f) => f.endsWith(".tgz"))
    .map((f) => join(dir, f));
  if (tarballs.length === 0) throw new Error(`no .tgz in ${dir}`);
  let failed = 0;
  for (const tarball of tarballs) {
    const pkg = packageJsonOf(tarball);
    const problems = metadataProblems(pkg, tarballFiles(tarball));
    const attw = run(bin("attw"), [
      "--profile",
      "esm-only",
      "--no-definitely-typed",
      "--no-emoji",
      "--no-color",
      tarball,
    ]);
    if (!attw.ok) problems.push(`@arethetypeswrong/cli:\n${attw.output.trim()}`);
    const publint = run(bin("publint"), ["run", "--strict", tarball]);
    if (!publint.ok || !/All good!/.test(publint.output)) problems.push(`publint:\n${publint.output.trim()}`);
    if (problems.length > 0) {
      failed++;
      console.log(`✗ ${pkg.name}@${pkg.version}\n  ${problems.join("\n  ")}`);
    } else {
      console.log(`✓ ${pkg.name}@${pkg.version}: attw (esm-only), publint, metadata`);
    }
  }
  console.log(`check:packages: ${tarballs.length - failed} of ${tarballs.length} packages pass`);
  return failed;
}

/**
 * The workspaces npm would publish, as paths from the root: the root package.json's `workspaces` (a directory, or
 * `dir/*` for each of its subdirectories), without those whose package.json says `"private": true`.
 */
export function publicWorkspaces() {
  const readJson = (file) => JSON.parse(readFileSync(join(root, file), "utf8"));
  const dirs = readJson("package.json").workspaces.flatMap((pattern) => {
    if (!pattern.endsWith("/*")) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => `${parent}/${d.name}`);
  });
  return dirs
    .filter((dir) => existsSync(join(root, dir, "package.json")) && readJson(`${dir}/package.json`).private !== true)
    .sort();
}

function packAll(dir) {
  const build = run("npm", ["run", "build", "--silent"]);
  if (!build.ok) throw new Error(`npm run build failed:\n${build.output}`);
  const workspaces = publicWorkspaces().flatMap((w) => ["--workspace", w]);
  const pack = run("npm", ["pack", ...workspaces, "--ignore-scripts", "--pack-destination", dir]);
  if (!pack.ok) throw new Error(`npm pack failed:\n${pack.output}`);
}

if (here === resolve(process.argv[1] ?? "")) {
  const given = process.argv[2];
  const dir = given ? resolve(given) : mkdtempSync(join(tmpdir(), "reguser-packages-"));
  try {
    if (!given) packAll(dir);
    process.exitCode = checkTarballs(dir) === 0 ? 0 : 1;
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  } finally {
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
}
