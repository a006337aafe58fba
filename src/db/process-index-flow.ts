// "How the work flows" (issue #16), read from the process index: per workflow over a period, how
// many processes run, finished and failed; per node, the time tasks waited for a person and the
// time they ran, p50 and p95; and the processes running longest.
//
// Percentiles are computed in SQL (window functions, nearest rank) rather than over samples in
// TypeScript: D1 answers two numbers per node and measure instead of shipping every span, and the
// figures are exact for the period. What bounds the cost is the rows read, which the period and
// the (workflow_key, ended_at) index on tasks bound.
import { and, asc, count, eq, inArray, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { RUNNING_PROCESS_STATUSES } from "../engine/index.ts";
import { processes } from "./schema/index.ts";

const HOUR_MS = 3_600_000;

/** The periods a reader may choose, and their length. */
export const FLOW_PERIODS = {
	"24h": 24 * HOUR_MS,
	"7d": 7 * 24 * HOUR_MS,
	"30d": 30 * 24 * HOUR_MS,
};
export type FlowPeriod = keyof typeof FLOW_PERIODS;

export function isFlowPeriod(value: string | undefined): value is FlowPeriod {
	return value !== undefined && Object.hasOwn(FLOW_PERIODS, value);
}

export interface FlowCounts {
	/** Running now, whenever they started. */
	running: number;
	/** Ended in the period, succeeded or stopped. */
	finished: number;
	/** Ended in the period, failed. */
	failed: number;
}

/** The spread of one measure at one node, in ms; `n` spans measured. */
export interface Spread {
	n: number;
	p50: number;
	p95: number;
}

export interface NodeFlow {
	node: string;
	/** Created until a person's input let it go on (tasks of a role or assigned to someone). */
	waiting?: Spread;
	/** Started until it ended. */
	running?: Spread;
}

export interface SlowProcess {
	id: string;
	name: string | null;
	version: number;
	/** When it started (or was created, while still pending). */
	since: number;
	activeTasks: number;
	openIncidents: number;
}

/** How many of the longest-running processes the page lists. */
export const SLOWEST_LIMIT = 10;

export async function flowCounts(db: D1Database, key: string, since: number): Promise<FlowCounts> {
	const [row] = await drizzle(db)
		.select({
			running: sql<number>`sum(case when ${inArray(processes.status, [...RUNNING_PROCESS_STATUSES])} then 1 else 0 end)`,
			finished: sql<number>`sum(case when ${processes.status} in ('SUCCESS', 'REVOKED') and ${processes.endedAt} >= ${since} then 1 else 0 end)`,
			failed: sql<number>`sum(case when ${processes.status} = 'FAILURE' and ${processes.endedAt} >= ${since} then 1 else 0 end)`,
		})
		.from(processes)
		.where(eq(processes.workflowKey, key));
	return {
		running: Number(row?.running ?? 0),
		finished: Number(row?.finished ?? 0),
		failed: Number(row?.failed ?? 0),
	};
}

/**
 * Per node, p50 and p95 of the spans that ended in the period: waiting (a task of a role, or
 * assigned, from creation until it started, or ended when it never ran after the input) and
 * running (started until ended). Nearest rank: the p-th percentile of n sorted spans is the
 * ceil(p·n/100)-th.
 */
export async function nodeFlows(db: D1Database, key: string, since: number): Promise<NodeFlow[]> {
	const { results } = await db
		.prepare(
			`WITH spans AS (
				SELECT node, 'waiting' AS measure, coalesce(started_at, ended_at) - created_at AS ms
				FROM tasks
				WHERE workflow_key = ?1 AND (role IS NOT NULL OR assignee IS NOT NULL)
					AND coalesce(started_at, ended_at) >= ?2
				UNION ALL
				SELECT node, 'running' AS measure, ended_at - started_at AS ms
				FROM tasks
				WHERE workflow_key = ?1 AND started_at IS NOT NULL AND ended_at >= ?2
			),
			ranked AS (
				SELECT node, measure, ms,
					row_number() OVER (PARTITION BY node, measure ORDER BY ms) AS rn,
					count(*) OVER (PARTITION BY node, measure) AS n
				FROM spans
			)
			SELECT node, measure, n,
				max(CASE WHEN rn = (n * 50 + 99) / 100 THEN ms END) AS p50,
				max(CASE WHEN rn = (n * 95 + 99) / 100 THEN ms END) AS p95
			FROM ranked
			GROUP BY node, measure
			ORDER BY node, measure`,
		)
		.bind(key, since)
		.all<{ node: string; measure: "waiting" | "running"; n: number; p50: number; p95: number }>();
	const byNode = new Map<string, NodeFlow>();
	for (const r of results) {
		const flow = byNode.get(r.node) ?? { node: r.node };
		flow[r.measure] = { n: r.n, p50: r.p50, p95: r.p95 };
		byNode.set(r.node, flow);
	}
	return [...byNode.values()];
}

/** The running processes that started longest ago, the oldest first. */
export async function slowestRunning(
	db: D1Database,
	key: string,
	limit = SLOWEST_LIMIT,
): Promise<{ rows: SlowProcess[]; total: number }> {
	const d = drizzle(db);
	const where = and(
		eq(processes.workflowKey, key),
		inArray(processes.status, [...RUNNING_PROCESS_STATUSES]),
	);
	const since = sql<number>`coalesce(${processes.startedAt}, ${processes.createdAt})`;
	const [rows, total] = await d.batch([
		d
			.select({
				id: processes.id,
				name: processes.name,
				version: processes.workflowVersion,
				since,
				activeTasks: processes.activeTasks,
				openIncidents: processes.openIncidents,
			})
			.from(processes)
			.where(where)
			.orderBy(asc(since), asc(processes.id))
			.limit(limit),
		d.select({ n: count() }).from(processes).where(where),
	]);
	return { rows, total: total[0]?.n ?? 0 };
}
