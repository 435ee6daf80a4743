// Sums a V8 .cpuprofile (from `node --cpu-prof`, e.g. bench/cpu-split.ts with CPU_PROF=dir) by where the
// time was spent: self time per package (or src/ folder) and the heaviest functions, and the inclusive time
// of the functions named in PROFILE_FOCUS (comma-separated substrings of "function file").
//   node --import tsx bench/profile-summary.ts dir/CPU.*.cpuprofile [top=25]
import fs from "node:fs";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: profile-summary <file.cpuprofile> [top]");
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

/** Where a frame's code lives: a package, a src/ folder, node's own code or V8's pseudo-frames. */
function place(url: string, name: string): string {
  if (!url) return `(${name || "anonymous"})`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const src = /\/(src|views|bench)\/([^/]+)/.exec(url);
  if (src) return `${src[1]}/${src[2]}`;
  if (url.startsWith("node:")) return url;
  return url.replace(/^file:\/\//, "");
}
/** A frame's function and file (the path inside its package or the project). */
const label = (n: Node) => {
  const { functionName, url, lineNumber } = n.callFrame;
  const file = /node_modules\/(.*)$/.exec(url)?.[1] ?? /\/((?:src|views|bench)\/.*)$/.exec(url)?.[1] ?? place(url, functionName);
  return `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
};

const self = new Map<number, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  self.set(id, (self.get(id) ?? 0) + dt);
  total += dt;
});
const idle = [...self].filter(([id]) => byId.get(id)!.callFrame.functionName === "(idle)").reduce((t, [, v]) => t + v, 0);
const busy = total - idle;

const sum = (key: (n: Node) => string) => {
  const m = new Map<string, number>();
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    if (n.callFrame.functionName === "(idle)") continue;
    m.set(key(n), (m.get(key(n)) ?? 0) + t);
  }
  return [...m].sort((a, b) => b[1] - a[1]);
};
const pct = (t: number) => `${((100 * t) / busy).toFixed(1).padStart(5)} %`;
console.log(`busy ${(busy / 1e6).toFixed(2)} s of ${(total / 1e6).toFixed(2)} s sampled`);
console.log("\nself time by place:");
for (const [k, t] of sum((n) => place(n.callFrame.url, n.callFrame.functionName)).slice(0, top)) console.log(`${pct(t)}  ${k}`);
console.log("\nself time by function:");
for (const [k, t] of sum(label).slice(0, top)) console.log(`${pct(t)}  ${k}`);

// Inclusive time: a sample counts once for each distinct focused label on its stack.
const focus = process.env.PROFILE_FOCUS?.split(",").filter(Boolean) ?? [];
if (focus.length) {
  console.log("\ninclusive time:");
  for (const f of focus) {
    let t = 0;
    for (const [id, dt] of self) {
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        if (label(byId.get(cur)!).includes(f)) { t += dt; break; }
      }
    }
    console.log(`${pct(t)}  ${f}`);
  }
}
