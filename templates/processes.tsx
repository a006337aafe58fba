// The processes list: filters (workflow, status, started between), a search, and pages of results.
// A plain GET form without JavaScript; with htmx the results swap in as the filters change.
import type { BulkFormView } from "../src/http/view-models/bulk-page.ts";
import type { Chrome } from "../src/http/view-models/page-context.ts";
import type { ProcessListView } from "../src/http/view-models/processes-list.ts";
import { BulkForm } from "./bulk.tsx";
import {
	Badge,
	EmptyState,
	FilterBar,
	FilterSelect,
	fieldBinder,
	Progress,
	TableHead,
	When,
} from "./components.tsx";
import { Layout } from "./layout.tsx";

export function ProcessesPage({
	chrome,
	view,
	bulk,
	canStart,
}: {
	chrome: Chrome;
	view: ProcessListView;
	bulk?: BulkFormView | undefined;
	/** Shows "Start a process" only to someone who may start one. */
	canStart: boolean;
}) {
	const bind = fieldBinder(view.filter, view.filterErrors, "processes-");
	return (
		<Layout title="Processes" csrfToken={chrome.csrfToken} user={chrome.user} current="processes">
			<div class="page-head page-head-row">
				<h1>Processes</h1>
				{canStart ? (
					<a class="button button-primary" href="/workflows">
						Start a process
					</a>
				) : null}
			</div>
			<FilterBar
				id="process-filters"
				action="/processes"
				label="Filter the processes"
				resultsId="process-results"
				search={{ id: "processes-q", value: view.filter.q, placeholder: "Name, id or workflow" }}
				isFiltered={view.isFiltered}
			>
				<FilterSelect
					{...bind("workflow")}
					label="Workflow"
					anyLabel="All workflows"
					choices={view.choices.workflows}
				/>
				<FilterSelect
					{...bind("status")}
					label="Status"
					anyLabel="Any status"
					choices={view.choices.statuses}
				/>
				<FilterSelect
					id="processes-suspended"
					name="suspended"
					value={view.suspendedChoice}
					label="Suspension"
					anyLabel="Suspended or not"
					choices={view.choices.suspension}
				/>
				<DayFilter {...bind("from")} label="Started from" />
				<DayFilter {...bind("to")} label="Started until" />
			</FilterBar>
			<div id="process-results">
				<ProcessResults view={view} bulk={bulk} csrfToken={chrome.csrfToken} />
			</div>
		</Layout>
	);
}

function DayFilter({
	id,
	name,
	label,
	value,
	error,
}: {
	id: string;
	name: string;
	label: string;
	value?: string | undefined;
	error?: string | undefined;
}) {
	return (
		<div class={`filter${error ? " has-error" : ""}`}>
			<label for={id}>{label}</label>
			<input
				id={id}
				name={name}
				type="date"
				value={value ?? ""}
				aria-invalid={error ? "true" : undefined}
				aria-describedby={error ? `${id}-error` : undefined}
			/>
			{error ? (
				<p class="field-error" id={`${id}-error`}>
					{error}
				</p>
			) : null}
		</div>
	);
}

/**
 * The fragment the filters swap in: the table and the pager, and for admins the bulk actions on
 * what the filters select (here, so the form always carries the filters the table shows).
 */
export function ProcessResults({
	view,
	bulk,
	csrfToken,
}: {
	view: ProcessListView;
	bulk?: BulkFormView | undefined;
	csrfToken: string;
}) {
	return (
		<>
			{bulk && view.total > 0 ? <BulkForm view={bulk} csrfToken={csrfToken} /> : null}
			<p class="result-count" role="status">
				{view.total === 0
					? "No processes."
					: `Showing ${view.firstShown}–${view.lastShown} of ${view.total} process${view.total === 1 ? "" : "es"}.`}
			</p>
			{view.items.length === 0 ? (
				<EmptyState
					title={view.isFiltered ? "No process matches these filters." : "No process yet."}
				>
					{view.isFiltered ? (
						<p>
							<a href="/processes">Clear the filters</a> to see every process you may see.
						</p>
					) : (
						<p>
							<a href="/workflows">Start one</a> from a workflow.
						</p>
					)}
				</EmptyState>
			) : (
				<section class="table-scroll" aria-label="Processes" tabindex={0}>
					<table class="table processes-table">
						<caption class="visually-hidden">Processes, newest first</caption>
						<TableHead
							columns={["Process", "Status", "Progress", "Started", "Started by", "Active tasks"]}
						/>
						<tbody>
							{view.items.map((p) => (
								<tr>
									<th scope="row">
										<a href={p.href}>{p.label}</a>
										<span class="muted block">
											{`${p.workflowName} v${p.version}`}
											{p.isChild ? " · subprocess" : ""}
										</span>
									</th>
									<td>
										<Badge status={p.status} />
										{p.isSuspended ? <span class="badge tone-waiting">Suspended</span> : null}
										{p.openIncidents > 0 ? (
											<span class="badge tone-danger">{`${p.openIncidents} incident${p.openIncidents === 1 ? "" : "s"}`}</span>
										) : null}
									</td>
									<td>
										<Progress value={p.progress} label={`Progress of ${p.label}`} />
									</td>
									<td>
										<When at={p.started} />
									</td>
									<td>{p.startedByName}</td>
									<td class="num">{p.activeTasks}</td>
								</tr>
							))}
						</tbody>
					</table>
				</section>
			)}
			{view.pageCount > 1 ? (
				<nav class="pager" aria-label="Pages">
					{view.previousHref ? (
						<a href={view.previousHref} rel="prev">
							← Newer
						</a>
					) : (
						<span class="muted">← Newer</span>
					)}
					<span>{`Page ${view.page} of ${view.pageCount}`}</span>
					{view.nextHref ? (
						<a href={view.nextHref} rel="next">
							Older →
						</a>
					) : (
						<span class="muted">Older →</span>
					)}
				</nav>
			) : null}
		</>
	);
}
