// Summarises a .cpuprofile: self time by function (and by file), the top entries.
//   node --experimental-strip-types scripts/bench/profile-summary.ts <file.cpuprofile> [top]
import { readFileSync } from "node:fs";

interface Node {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}
interface Profile {
	nodes: Node[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const file = process.argv[2];
if (!file) throw new Error("usage: profile-summary.ts <file.cpuprofile> [top]");
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => {
	self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = profile.endTime - profile.startTime;
const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const [id, us] of self) {
	const f = byId.get(id)?.callFrame;
	if (!f) continue;
	const where = f.url.split("/").slice(-2).join("/") || "(native)";
	const fn = `${f.functionName || "(anonymous)"} ${where}:${f.lineNumber + 1}`;
	byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
	byFile.set(where, (byFile.get(where) ?? 0) + us);
}
// Inclusive time of named functions: a sample counts once for each distinct name on its stack.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
	const seen = new Set<string>();
	for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
		const name = byId.get(at)?.callFrame.functionName;
		if (name && !seen.has(name)) {
			seen.add(name);
			inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
		}
	}
});
const pct = (us: number) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
console.log(`profile: ${(total / 1e6).toFixed(2)} s`);
for (const [name, map] of [
	["self time by function", byFunction],
	["self time by file", byFile],
	["inclusive time by function name", inclusive],
] as const) {
	console.log(`\n${name}`);
	for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
		console.log(`${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
}
