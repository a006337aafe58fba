// How the work flows in one workflow (issue #16): GET /admin/workflows/:key/flow?period=&measure=.
// The figures come from the process index (src/db/process-index-flow.ts); the heatmap is the latest
// version's diagram with each step's heat (src/diagram/heat.ts).
import { Hono } from "hono";
import { FlowPage, type FlowPageView, type FlowRow } from "../../../../templates/admin/flow.tsx";
import {
	FLOW_PERIODS,
	type FlowPeriod,
	flowCounts,
	isFlowPeriod,
	nodeFlows,
	slowestRunning,
} from "../../../db/process-index.ts";
import { findPublishedVersion, findWorkflow } from "../../../db/workflows.ts";
import { diagramFor } from "../../../diagram/cache.ts";
import { type HeatFigure, withHeat } from "../../../diagram/heat.ts";
import { allNodes } from "../../../engine/index.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { duration, preciseDuration } from "../../view-models/format.ts";
import { chromeOf } from "../../view-models/page-context.ts";

export const flowRoutes = new Hono<AppEnv>();

const PERIOD_WORDS: Record<FlowPeriod, string> = {
	"24h": "the last 24 hours",
	"7d": "the last 7 days",
	"30d": "the last 30 days",
};

const MEASURES = {
	running: "Running time",
	waiting: "Waiting for a person",
} as const;
type Measure = keyof typeof MEASURES;

flowRoutes.get("/workflows/:key/flow", async (c) => {
	const key = c.req.param("key");
	const row = await findWorkflow(c.env.DB, key);
	if (!row) throw new AppError("not_found", "There is no such workflow.");
	const askedPeriod = c.req.query("period");
	const period: FlowPeriod = isFlowPeriod(askedPeriod) ? askedPeriod : "7d";
	const measure: Measure = c.req.query("measure") === "waiting" ? "waiting" : "running";
	const now = Date.now();
	const since = now - FLOW_PERIODS[period];
	const [latest, counts, flows, slowest] = await Promise.all([
		row.latestVersion === null ? undefined : findPublishedVersion(c.env.DB, key),
		flowCounts(c.env.DB, key, since),
		nodeFlows(c.env.DB, key, since),
		slowestRunning(c.env.DB, key),
	]);
	const names = new Map(latest ? allNodes(latest).map((n) => [n.key, n.name ?? n.key]) : []);
	const figures = new Map<string, HeatFigure>(
		flows.flatMap((f) => {
			const spread = f[measure];
			return spread ? [[f.node, spread] as const] : [];
		}),
	);
	const words = (s: { p50: number; p95: number; n: number } | undefined) =>
		s ? { p50: preciseDuration(s.p50), p95: preciseDuration(s.p95), n: s.n } : undefined;
	// Steps of the latest version in its order first, then steps only older versions had.
	const order = [...names.keys()];
	const rank = (node: string) => (order.includes(node) ? order.indexOf(node) : order.length);
	const rows: FlowRow[] = [...flows]
		.sort((a, b) => rank(a.node) - rank(b.node) || a.node.localeCompare(b.node))
		.map((f) => {
			const r: FlowRow = { node: f.node, name: names.get(f.node) ?? `${f.node} (older version)` };
			const waiting = words(f.waiting);
			const running = words(f.running);
			if (waiting) r.waiting = waiting;
			if (running) r.running = running;
			return r;
		});
	const view: FlowPageView = {
		workflow: { key, name: row.name, latestVersion: row.latestVersion },
		period,
		periods: (Object.keys(PERIOD_WORDS) as FlowPeriod[]).map((p) => ({
			value: p,
			label: PERIOD_WORDS[p].replace(/^the l/, "L"),
		})),
		measure,
		measures: (Object.keys(MEASURES) as Measure[]).map((m) => ({ value: m, label: MEASURES[m] })),
		periodWords: PERIOD_WORDS[period],
		counts,
		diagram: latest
			? withHeat(diagramFor(latest), figures, MEASURES[measure], preciseDuration)
			: null,
		rows,
		slowest: {
			total: slowest.total,
			rows: slowest.rows.map((p) => ({ ...p, runningFor: duration(now - p.since) })),
		},
	};
	return c.html(<FlowPage chrome={chromeOf(c)} view={view} />);
});
