// The chart of `npm run bench`, as a standalone SVG: steps/s per workload and engine (log scale),
// and time per process as the number of processes grows (log–log).
import type { EngineKey } from "./common.ts";
import { fmt, type Summary } from "./report.ts";

const COLORS: Record<EngineKey, string> = {
	baton: "#d9480f",
	inline: "#f08c00",
	core: "#1971c2",
	peer: "#5c940d",
	workflows: "#7048e8",
};
const LABELS: Record<EngineKey, string> = {
	baton: "Baton end to end, queued jobs (workerd)",
	inline: "Baton end to end, inline tasks (workerd)",
	core: "Baton engine core (Node)",
	workflows: "Cloudflare Workflows (workerd)",
	peer: "bpmn-engine (Node, in memory)",
};
const ENGINES: EngineKey[] = ["baton", "inline", "core", "peer"];

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");

function logTicks(min: number, max: number): number[] {
	const ticks: number[] = [];
	for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++)
		ticks.push(10 ** p);
	return ticks;
}

export function renderChart(summary: Summary): string {
	const W = 900;
	const H = 400;
	const parts: string[] = [];
	const text = (x: number, y: number, s: string, extra = "") =>
		parts.push(`<text x="${x.toFixed(1)}" y="${y.toFixed(1)}" ${extra}>${esc(s)}</text>`);

	// Panel 1: steps/s, grouped bars, log scale.
	const p1 = { x: 70, y: 40, w: 420, h: 260 };
	const workloads = Object.keys(summary.throughput);
	const values = workloads.flatMap((w) =>
		ENGINES.map(
			(e) => summary.throughput[w as keyof Summary["throughput"]]?.[e]?.stepsPerSec.median ?? 0,
		),
	);
	const positive = values.filter((v) => v > 0);
	const ticks = logTicks(Math.min(...positive, 10), Math.max(...positive, 100));
	const lo = Math.log10(ticks[0] as number);
	const hi = Math.log10(ticks[ticks.length - 1] as number);
	const yOf = (v: number) => p1.y + p1.h - ((Math.log10(v) - lo) / (hi - lo)) * p1.h;
	text(p1.x, 22, "Steps per second (log scale), median of repetitions", 'font-weight="bold"');
	for (const t of ticks) {
		const y = yOf(t);
		parts.push(`<line x1="${p1.x}" x2="${p1.x + p1.w}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
		text(p1.x - 6, y + 4, fmt(t), 'text-anchor="end"');
	}
	const groupW = p1.w / Math.max(workloads.length, 1);
	const barW = (groupW - 24) / ENGINES.length;
	workloads.forEach((w, i) => {
		const gx = p1.x + i * groupW + 12;
		ENGINES.forEach((e, j) => {
			const v = summary.throughput[w as keyof Summary["throughput"]]?.[e]?.stepsPerSec.median;
			if (!v) return;
			const y = yOf(v);
			const x = gx + j * barW;
			parts.push(
				`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 3).toFixed(1)}" height="${(p1.y + p1.h - y).toFixed(1)}" fill="${COLORS[e]}"><title>${esc(`${LABELS[e]}, ${w}: ${fmt(v)} steps/s`)}</title></rect>`,
			);
			text(x + (barW - 3) / 2, y - 4, fmt(v), 'text-anchor="middle" font-size="10"');
		});
		text(gx + (groupW - 24) / 2, p1.y + p1.h + 18, w, 'text-anchor="middle"');
	});

	// Panel 2: ms per process vs N, log–log.
	const p2 = { x: 580, y: 40, w: 290, h: 260 };
	const ns = Object.keys(summary.growth)
		.map(Number)
		.sort((a, b) => a - b);
	text(p2.x - 40, 22, "Time per process (ms) as N grows", 'font-weight="bold"');
	const ms = ns.flatMap((n) =>
		ENGINES.map((e) => summary.growth[String(n)]?.[e]?.msPerProcess.median ?? 0),
	);
	const msPos = ms.filter((v) => v > 0);
	if (ns.length > 0 && msPos.length > 0) {
		const yt = logTicks(Math.min(...msPos), Math.max(...msPos));
		const ylo = Math.log10(yt[0] as number);
		const yhi = Math.log10(yt[yt.length - 1] as number);
		const xlo = Math.log10(ns[0] as number);
		const xhi = Math.log10(ns[ns.length - 1] as number);
		const xOf = (n: number) =>
			p2.x + (xhi === xlo ? p2.w / 2 : ((Math.log10(n) - xlo) / (xhi - xlo)) * p2.w);
		const y2 = (v: number) => p2.y + p2.h - ((Math.log10(v) - ylo) / (yhi - ylo)) * p2.h;
		for (const t of yt) {
			parts.push(
				`<line x1="${p2.x}" x2="${p2.x + p2.w}" y1="${y2(t)}" y2="${y2(t)}" stroke="#ddd"/>`,
			);
			text(p2.x - 6, y2(t) + 4, fmt(t), 'text-anchor="end"');
		}
		for (const n of ns)
			text(xOf(n), p2.y + p2.h + 18, n.toLocaleString("en-US"), 'text-anchor="middle"');
		for (const e of ENGINES) {
			const pts = ns
				.map((n) => [n, summary.growth[String(n)]?.[e]?.msPerProcess.median] as const)
				.filter((p): p is readonly [number, number] => p[1] !== undefined && p[1] > 0);
			if (pts.length === 0) continue;
			parts.push(
				`<polyline fill="none" stroke="${COLORS[e]}" stroke-width="2" points="${pts.map(([n, v]) => `${xOf(n).toFixed(1)},${y2(v).toFixed(1)}`).join(" ")}"/>`,
			);
			for (const [n, v] of pts)
				parts.push(
					`<circle cx="${xOf(n).toFixed(1)}" cy="${y2(v).toFixed(1)}" r="3" fill="${COLORS[e]}"><title>${esc(`${LABELS[e]}, N=${n}: ${fmt(v)} ms/process`)}</title></circle>`,
				);
		}
		text(p2.x + p2.w / 2, p2.y + p2.h + 34, "processes (conference)", 'text-anchor="middle"');
	}

	// Legend: two columns, two rows.
	ENGINES.forEach((e, i) => {
		const x = 70 + (i % 2) * 420;
		const y = H - 40 + Math.floor(i / 2) * 20;
		parts.push(`<rect x="${x}" y="${y}" width="12" height="12" fill="${COLORS[e]}"/>`);
		text(x + 18, y + 10, LABELS[e]);
	});
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-family="system-ui, sans-serif" font-size="12" role="img" aria-label="Baton benchmark: steps per second by workload and engine; time per process as N grows">
<rect width="100%" height="100%" fill="#fff"/>
${parts.join("\n")}
</svg>
`;
}
