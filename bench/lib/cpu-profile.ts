// Read a V8 .cpuprofile (node --cpu-prof): self time by function and by package.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byFunction: { name: string; ms: number }[];
  byPackage: { name: string; ms: number }[];
}

/** Where a script lives: a workspace package, a dependency, Node itself, or V8 ("(garbage collector)"). */
function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const workspace = /\/packages\/([^/]+)\/(?:src|dist)\//.exec(url);
  if (workspace) return `@reguser/${workspace[1]}`;
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1] as string;
  if (url.startsWith("node:")) return "node internals";
  if (url.includes("/bench/")) return "bench";
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(packages|node_modules|bench)\//, "$1/");
}

function top(map: Map<string, number>, limit: number) {
  return [...map.entries()]
    .map(([name, ms]) => ({ name, ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit);
}

export function summarizeProfile(profile: Profile, limit = 25): ProfileSummary {
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const interval = profile.samples.length ? totalMs / profile.samples.length : 0;
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const node of profile.nodes) {
    const ms = (node.hitCount ?? 0) * interval;
    if (ms === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"} ${url ? `${shortUrl(url)}:${lineNumber + 1}` : ""}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + ms);
  }
  return { totalMs, byFunction: top(byFunction, limit), byPackage: top(byPackage, limit) };
}
