// The process page: its state in words, the live diagram, the tasks, the history timeline, and the
// actions the viewer may take. While the process runs, the ProcessObject pushes a notice over SSE
// after each change and the live part (#process-live) is fetched again and morphed in place.

import type { CommentView } from "../src/http/view-models/comments.ts";
import type { Chrome } from "../src/http/view-models/page-context.ts";
import type { ProcessPageView, TaskRowView } from "../src/http/view-models/process-page.ts";
import type { TimelineEntry } from "../src/http/view-models/timeline.ts";
import { CommentForm, CommentItem, FileTable } from "./comments.tsx";
import {
	Badge,
	CsrfField,
	EmptyState,
	NoticeFor,
	OverdueBadge,
	Progress,
	TableHead,
	When,
	Words,
} from "./components.tsx";
import { Diagram } from "./diagram.tsx";
import { Layout } from "./layout.tsx";

export function ProcessPage({
	chrome,
	view,
	notice,
}: {
	chrome: Chrome;
	view: ProcessPageView;
	notice?: string;
}) {
	return (
		<Layout title={view.label} csrfToken={chrome.csrfToken} user={chrome.user} current="processes">
			<nav class="breadcrumb" aria-label="Breadcrumb">
				<a href="/processes">Processes</a>
				{view.parent ? (
					<>
						<span aria-hidden="true"> › </span>
						<a href={view.parent.href}>Parent process</a>
					</>
				) : null}
			</nav>
			<div class="page-head page-head-row">
				<div>
					<h1>{view.label}</h1>
					<p class="page-lead muted">{`${view.workflowName} · version ${view.version}`}</p>
				</div>
				{view.isFinished ? null : (
					<div
						id="process-stream"
						class="live-indicator"
						hidden
						hx-sse:connect={`${view.href}/events`}
						hx-sse:close="process-finished"
					>
						<span class="live-dot" aria-hidden="true" />
						<span class="live-text">Live</span>
					</div>
				)}
			</div>
			<NoticeFor code={notice} />
			<div
				id="process-live"
				hx-get={view.href}
				hx-trigger="process-changed from:#process-stream delay:150ms"
				hx-swap="innerMorph"
				data-revision={String(view.revision)}
			>
				<ProcessLive view={view} csrfToken={chrome.csrfToken} />
			</div>
		</Layout>
	);
}

/** Everything that changes as the process runs: the fragment htmx fetches on each pushed notice. */
export function ProcessLive({ view, csrfToken }: { view: ProcessPageView; csrfToken: string }) {
	return (
		<>
			<p class="visually-hidden" role="status" id="process-news">
				{view.news}
			</p>
			<section class="card summary" aria-labelledby="summary-title">
				<h2 id="summary-title" class="visually-hidden">
					Summary
				</h2>
				<div class="summary-status">
					<Badge status={view.status} class="badge-large" />
					{/* A stuck process's tasks may all be done: a full bar beside "Stuck" says the opposite. */}
					{view.isStuck ? null : <Progress value={view.progress} label="Progress of the process" />}
				</div>
				<dl class="facts facts-inline">
					<div>
						<dt>Started by</dt>
						<dd>{view.startedByName ?? "—"}</dd>
					</div>
					<div>
						<dt>Started</dt>
						<dd>{view.started ? <When at={view.started} /> : "Not yet"}</dd>
					</div>
					{view.ended ? (
						<div>
							<dt>Ended</dt>
							<dd>
								<When at={view.ended} />
							</dd>
						</div>
					) : null}
					{view.ranFor ? (
						<div>
							<dt>{view.isFinished ? "Took" : "Running for"}</dt>
							<dd>{view.ranFor}</dd>
						</div>
					) : null}
					<div>
						<dt>Priority</dt>
						<dd>{view.priority}</dd>
					</div>
				</dl>
				{view.canStop ? (
					<form
						method="post"
						action={`${view.href}/stop`}
						class="summary-actions"
						hx-post={`${view.href}/stop`}
						hx-target="#process-live"
						hx-swap="innerMorph"
						hx-confirm="Stop this process? Its active tasks are revoked; this cannot be undone."
					>
						<CsrfField token={csrfToken} />
						<button type="submit" class="button-danger">
							Stop process
						</button>
					</form>
				) : null}
				{view.canSuspend ? (
					<form
						method="post"
						action={`${view.href}/suspend`}
						class="summary-actions"
						hx-post={`${view.href}/suspend`}
						hx-target="#process-live"
						hx-swap="innerMorph"
					>
						<CsrfField token={csrfToken} />
						<label for="suspend-reason">Reason for suspending</label>
						<input id="suspend-reason" name="reason" maxlength={500} />
						<button type="submit">Suspend process</button>
					</form>
				) : null}
				{view.suspension ? (
					<div class="alert alert-info" role="note">
						<p>
							Suspended{view.suspension.byName ? ` by ${view.suspension.byName}` : ""} since{" "}
							<When at={view.suspension.since} />
							{view.suspension.reason ? `: ${view.suspension.reason}` : "."} Nothing starts, fires
							or is accepted until it is resumed; what comes in meanwhile runs then, in order.
						</p>
						{view.canResume ? (
							<form
								method="post"
								action={`${view.href}/resume`}
								hx-post={`${view.href}/resume`}
								hx-target="#process-live"
								hx-swap="innerMorph"
							>
								<CsrfField token={csrfToken} />
								<button type="submit">Resume process</button>
							</form>
						) : null}
					</div>
				) : null}
				{view.isStuck ? (
					<p class="alert alert-error" role="note">
						This process is stuck: no task is active and nothing can fire. An administrator should
						look at it.
					</p>
				) : null}
			</section>

			{view.incidents.some((i) => !i.isResolved) ? (
				<section class="card" aria-labelledby="incidents-title">
					<h2 id="incidents-title">Incidents</h2>
					<ul class="incidents">
						{view.incidents
							.filter((i) => !i.isResolved)
							.map((i) => (
								<li>
									{i.taskName ? <strong>{`${i.taskName}: `}</strong> : null}
									{i.message} <When at={i.at} />
								</li>
							))}
					</ul>
				</section>
			) : null}

			<section class="card" aria-labelledby="diagram-title">
				<h2 id="diagram-title">Diagram</h2>
				<Diagram view={view.diagram} id="process-diagram" />
			</section>

			<section class="card" aria-labelledby="tasks-title">
				<h2 id="tasks-title">
					Tasks <span class="count">{view.tasks.length}</span>
				</h2>
				{view.tasks.length === 0 ? (
					<EmptyState title="No task yet." />
				) : (
					<TaskTable tasks={view.tasks} csrfToken={csrfToken} processHref={view.href} />
				)}
			</section>

			<div class="columns">
				<section class="card" aria-labelledby="history-title" id="comments">
					<h2 id="history-title">History and comments</h2>
					<CommentForm form={view.commentForm} csrfToken={csrfToken} />
					<Timeline
						entries={view.timeline}
						comments={view.comments}
						hidden={view.timelineHidden}
						csrfToken={csrfToken}
					/>
				</section>
				<section class="card" aria-labelledby="data-title">
					<h2 id="data-title">Params and results</h2>
					{view.params.length === 0 ? (
						<p class="muted">No process params.</p>
					) : (
						<dl class="facts">
							{view.params.map((p) => (
								<>
									<dt>{p.key}</dt>
									<dd>{p.value}</dd>
								</>
							))}
						</dl>
					)}
					{view.correctable.length > 0 || view.canSuspend || view.canResume ? (
						<CorrectionForm view={view} csrfToken={csrfToken} />
					) : null}
					<h3 class="h-small">Results</h3>
					{view.results !== undefined ? (
						<pre class="json">{view.results}</pre>
					) : (
						<p class="muted">
							{view.isFinished ? "No results." : "The results appear when the process ends."}
						</p>
					)}
				</section>
			</div>
			<FileTable files={view.files} titleId="files-title" />
		</>
	);
}

function TaskTable({
	tasks,
	csrfToken,
	processHref,
}: {
	tasks: TaskRowView[];
	csrfToken: string;
	processHref: string;
}) {
	return (
		// A region of its own name: the card around it is already the "Tasks" region (landmark-unique).
		<section class="table-scroll" aria-label="Tasks table" tabindex={0}>
			<table class="table tasks-table">
				<TableHead
					columns={["Task", "Status", "Assigned to", "Progress", "Created", "Result"]}
					actions
				/>
				<tbody>
					{tasks.map((t) => (
						<tr
							id={`task-row-${t.id.replace(/[^A-Za-z0-9_-]/g, "_")}`}
							class={t.isActive ? "is-active" : undefined}
						>
							<th scope="row">
								{t.href ? <a href={t.href}>{t.nodeName}</a> : t.nodeName}
								{t.attempt > 1 ? <span class="muted">{` (attempt ${t.attempt})`}</span> : null}
							</th>
							<td data-label="Status">
								<Badge status={t.status} />
								{t.due?.isPast ? <OverdueBadge /> : null}
								{t.hasIncident ? <span class="badge tone-danger">Incident</span> : null}
								{t.due ? (
									<span class={t.due.isPast ? "block text-danger" : "muted block"}>
										<Words date={t.due} />
									</span>
								) : null}
							</td>
							<td data-label="Assigned to">
								{t.external?.lockedBy ? (
									<>
										<span class="assignee">{t.external.lockedBy}</span>
										{t.external.lock ? (
											<span class="muted block">
												<Words date={t.external.lock} />
											</span>
										) : null}
									</>
								) : t.external?.waitsForWorker ? (
									<span class="muted">{`Waiting for a ${t.external.taskType} worker`}</span>
								) : (
									<>
										<span class="assignee">{t.assigneeName}</span>
										{t.roleName ? <span class="muted block">{t.roleName}</span> : null}
									</>
								)}
							</td>
							<td data-label="Progress">
								<Progress value={t.progress} label={`Progress of ${t.nodeName}`} />
							</td>
							<td data-label="Created">
								<When at={t.created} />
							</td>
							<td class="cell-result" data-label="Result">
								{t.error ? <span class="text-danger">{t.error}</span> : null}
								{t.result ? (
									<details>
										<summary>{t.result.short}</summary>
										<pre class="json">{t.result.full}</pre>
									</details>
								) : t.error || t.values ? null : (
									<span class="muted">—</span>
								)}
								{t.values ? (
									<details>
										<summary>Values</summary>
										<dl class="facts">
											{t.values.map((v) => (
												<>
													<dt>{v.key}</dt>
													<dd>{v.value}</dd>
												</>
											))}
										</dl>
									</details>
								) : null}
							</td>
							<td class="cell-actions">
								<div class="row-actions">
									{t.canFill && t.href ? (
										<a class="button button-small button-primary" href={t.href}>
											Fill in
										</a>
									) : null}
									{t.canClaim && t.href ? (
										<form method="post" action={`${t.href}/claim`} class="inline">
											<CsrfField token={csrfToken} />
											<button type="submit" class="button-small" aria-label={`Claim ${t.nodeName}`}>
												Claim
											</button>
										</form>
									) : null}
									{t.canRetry ? (
										<TaskAction
											action={`/tasks/${encodeURIComponent(t.id)}/retry`}
											label="Retry"
											name={t.nodeName}
											csrfToken={csrfToken}
											back={processHref}
										/>
									) : null}
									{t.canRevoke ? (
										<TaskAction
											action={`/tasks/${encodeURIComponent(t.id)}/revoke`}
											label="Revoke"
											name={t.nodeName}
											csrfToken={csrfToken}
											back={processHref}
											confirm="Revoke this task? It will not run again."
										/>
									) : null}
								</div>
							</td>
						</tr>
					))}
				</tbody>
			</table>
		</section>
	);
}

function TaskAction({
	action,
	label,
	name,
	csrfToken,
	back,
	confirm,
}: {
	action: string;
	label: string;
	name: string;
	csrfToken: string;
	back: string;
	confirm?: string;
}) {
	return (
		<form
			method="post"
			action={action}
			class="inline"
			hx-post={action}
			hx-target="#process-live"
			hx-swap="innerMorph"
			hx-confirm={confirm}
		>
			<CsrfField token={csrfToken} />
			<input type="hidden" name="back" value={back} />
			<button
				type="submit"
				class={`button-small${label === "Revoke" ? " button-danger" : ""}`}
				aria-label={`${label} ${name}`}
			>
				{label}
			</button>
		</form>
	);
}

type TimelineItem = { event: TimelineEntry } | { comment: CommentView };

/** History events and comments in one list, newest first (both sorted by their instant). */
function timelineItems(entries: TimelineEntry[], comments: CommentView[]): TimelineItem[] {
	const items: { iso: string; item: TimelineItem }[] = [
		...entries.map((e) => ({ iso: e.at.iso, item: { event: e } })),
		...comments.map((c) => ({ iso: c.at.iso, item: { comment: c } })),
	];
	return items.sort((a, b) => (a.iso < b.iso ? 1 : a.iso > b.iso ? -1 : 0)).map((i) => i.item);
}

function Timeline({
	entries,
	comments,
	hidden,
	csrfToken,
}: {
	entries: TimelineEntry[];
	comments: CommentView[];
	hidden: number;
	csrfToken: string;
}) {
	if (entries.length === 0 && comments.length === 0)
		return <p class="muted">Nothing has happened yet.</p>;
	return (
		<>
			<ol class="timeline" reversed tabindex={0} aria-labelledby="history-title">
				{timelineItems(entries, comments).map((item) =>
					"comment" in item ? (
						<CommentItem comment={item.comment} csrfToken={csrfToken} />
					) : (
						<TimelineEvent e={item.event} />
					),
				)}
			</ol>
			{hidden > 0 ? <p class="muted">{`${hidden} earlier events are not shown.`}</p> : null}
		</>
	);
}

function TimelineEvent({ e }: { e: TimelineEntry }) {
	return (
		<li class={`timeline-item t-${e.tone}`} id={`event-${e.seq}`}>
			<span class="timeline-icon" aria-hidden="true">
				{e.icon}
			</span>
			<div class="timeline-body">
				<p class="timeline-title">
					{e.title}
					{e.actorName ? <span class="timeline-actor">{` by ${e.actorName}`}</span> : null}
				</p>
				{e.detail ? <p class="timeline-detail">{e.detail}</p> : null}
				{e.values && e.values.length > 0 ? (
					<dl class="timeline-values">
						{e.values.map((v) => (
							<>
								<dt>{v.key}</dt>
								<dd>{v.value}</dd>
							</>
						))}
					</dl>
				) : null}
				<When at={e.at} />
			</div>
		</li>
	);
}

/**
 * O3: an admin corrects one value of the process params or of a failed task before retrying it;
 * the value is JSON (a plain word is taken as text). The history records the old and the new.
 */
function CorrectionForm({ view, csrfToken }: { view: ProcessPageView; csrfToken: string }) {
	return (
		<details class="correction">
			<summary>Correct a value</summary>
			<form method="post" action={`${view.href}/values`}>
				<CsrfField token={csrfToken} />
				<label for="correct-task">Of</label>
				<select id="correct-task" name="taskId">
					<option value="">The process params</option>
					{view.correctable.map((c) => (
						<option value={c.value}>{c.label}</option>
					))}
				</select>
				<label for="correct-name">Field</label>
				<input id="correct-name" name="name" required maxlength={128} />
				<label for="correct-value">New value (JSON, or plain text)</label>
				<input id="correct-value" name="value" required maxlength={2000} />
				<button type="submit">Correct the value</button>
			</form>
		</details>
	);
}
