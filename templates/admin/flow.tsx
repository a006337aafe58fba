// How the work flows in one workflow (issue #16): counts over a period, a heatmap of its latest
// version's diagram (each step filled by how long its tasks take at the 95th percentile), the same
// figures as a table, and the processes running longest.
import type { DiagramView } from "../../src/diagram/view.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { At, EmptyState, SelectField, TableHead } from "../components.tsx";
import { Diagram } from "../diagram.tsx";
import { AdminPage, trail } from "./admin-page.tsx";

export interface FlowRow {
	node: string;
	name: string;
	waiting?: { p50: string; p95: string; n: number };
	running?: { p50: string; p95: string; n: number };
}

export interface SlowRow {
	id: string;
	name: string | null;
	version: number;
	since: number;
	/** "3 days" */
	runningFor: string;
	activeTasks: number;
	openIncidents: number;
}

export interface FlowPageView {
	workflow: { key: string; name: string; latestVersion: number | null };
	period: string;
	periods: { value: string; label: string }[];
	measure: string;
	measures: { value: string; label: string }[];
	/** "the last 7 days" */
	periodWords: string;
	counts: { running: number; finished: number; failed: number };
	diagram: DiagramView | null;
	rows: FlowRow[];
	slowest: { rows: SlowRow[]; total: number };
}

const base = (key: string) => `/admin/workflows/${encodeURIComponent(key)}`;

export function FlowPage({ chrome, view }: { chrome: Chrome; view: FlowPageView }) {
	const w = view.workflow;
	const title = `How the work flows: ${w.name}`;
	return (
		<AdminPage
			chrome={chrome}
			title={title}
			section="workflows"
			crumbs={trail("workflows", { href: base(w.key), label: w.name })}
		>
			<div class="page-head">
				<h1>{title}</h1>
				<p class="page-lead muted">
					{`Over ${view.periodWords}, from the process index (it may lag the processes by a few seconds).`}
				</p>
			</div>
			<form
				method="get"
				action={`${base(w.key)}/flow`}
				class="filters"
				aria-label="Period and measure"
			>
				<SelectField
					id="period"
					name="period"
					label="Period"
					value={view.period}
					choices={view.periods}
				/>
				<SelectField
					id="measure"
					name="measure"
					label="Fill the diagram by"
					value={view.measure}
					choices={view.measures}
				/>
				<div class="filter-actions">
					<button type="submit" class="button button-secondary">
						Show
					</button>
				</div>
			</form>
			<section class="card" aria-labelledby="counts-title">
				<h2 id="counts-title">Processes</h2>
				<dl class="flow-counts">
					<div>
						<dt>Running now</dt>
						<dd>{view.counts.running}</dd>
					</div>
					<div>
						<dt>{`Finished in ${view.periodWords}`}</dt>
						<dd>{view.counts.finished}</dd>
					</div>
					<div>
						<dt>{`Failed in ${view.periodWords}`}</dt>
						<dd>{view.counts.failed}</dd>
					</div>
				</dl>
			</section>
			<section class="card" aria-labelledby="heatmap-title">
				<h2 id="heatmap-title">Where the time goes</h2>
				{view.diagram ? (
					<Diagram view={view.diagram} id="heatmap" />
				) : (
					<EmptyState title="Not published yet">
						<p>The heatmap draws the latest published version.</p>
					</EmptyState>
				)}
				<FlowTable view={view} />
			</section>
			<section class="card" aria-labelledby="slowest-title">
				<h2 id="slowest-title">Running longest</h2>
				<SlowestTable slowest={view.slowest} />
			</section>
		</AdminPage>
	);
}

function FlowTable({ view }: { view: FlowPageView }) {
	if (view.rows.length === 0) {
		return <EmptyState title={`No task ended in ${view.periodWords}`} />;
	}
	const cell = (s: { p50: string; p95: string; n: number } | undefined, which: "p50" | "p95") =>
		s ? s[which] : "—";
	return (
		<div class="table-scroll" tabindex={0}>
			<table class="table" id="flow-figures">
				<caption>{`Time per step over ${view.periodWords}: 50th and 95th percentiles`}</caption>
				<TableHead
					columns={[
						"Step",
						{ label: "Waiting for a person, p50", num: true },
						{ label: "Waiting, p95", num: true },
						{ label: "Running, p50", num: true },
						{ label: "Running, p95", num: true },
						{ label: "Tasks measured", num: true },
					]}
				/>
				<tbody>
					{view.rows.map((r) => (
						<tr data-node={r.node}>
							<th scope="row">{r.name}</th>
							<td class="num">{cell(r.waiting, "p50")}</td>
							<td class="num">{cell(r.waiting, "p95")}</td>
							<td class="num">{cell(r.running, "p50")}</td>
							<td class="num">{cell(r.running, "p95")}</td>
							<td class="num">{Math.max(r.waiting?.n ?? 0, r.running?.n ?? 0)}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}

function SlowestTable({ slowest }: { slowest: FlowPageView["slowest"] }) {
	if (slowest.rows.length === 0) return <EmptyState title="Nothing is running" />;
	return (
		<>
			<div class="table-scroll" tabindex={0}>
				<table class="table">
					<caption class="visually-hidden">Running processes, the longest running first</caption>
					<TableHead
						columns={[
							"Process",
							"Version",
							"Since",
							{ label: "Running for", num: true },
							{ label: "Active tasks", num: true },
							{ label: "Open incidents", num: true },
						]}
					/>
					<tbody>
						{slowest.rows.map((p) => (
							<tr>
								<th scope="row">
									<a href={`/processes/${encodeURIComponent(p.id)}`}>{p.name ?? p.id}</a>
								</th>
								<td>{p.version}</td>
								<td>
									<At at={p.since} />
								</td>
								<td class="num">{p.runningFor}</td>
								<td class="num">{p.activeTasks}</td>
								<td class="num">{p.openIncidents}</td>
							</tr>
						))}
					</tbody>
				</table>
			</div>
			{slowest.total > slowest.rows.length ? (
				<p class="muted small">{`${slowest.rows.length} of ${slowest.total} running processes.`}</p>
			) : null}
		</>
	);
}
