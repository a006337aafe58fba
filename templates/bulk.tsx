// Bulk actions (admins): the form under the processes list, the preview with what would happen, and
// an operation's page with its progress bar, which refreshes itself while it runs (htmx; without
// JavaScript a link reloads it). Plain POST forms that work without JavaScript.
import type {
	BulkFormView,
	BulkOperationView,
	BulkPreviewView,
} from "../src/http/view-models/bulk-page.ts";
import type { Chrome } from "../src/http/view-models/page-context.ts";
import { CsrfField, EmptyState, Progress, TableHead, When } from "./components.tsx";
import { Layout } from "./layout.tsx";

function Hidden({ fields }: { fields: { name: string; value: string }[] }) {
	return (
		<>
			{fields.map((f) => (
				<input type="hidden" name={f.name} value={f.value} />
			))}
		</>
	);
}

/** Under the processes list: choose an action for every process the filters select. */
export function BulkForm({ view, csrfToken }: { view: BulkFormView; csrfToken: string }) {
	return (
		<details class="card bulk-actions">
			<summary>Act on every process these filters select</summary>
			<form method="post" action="/bulk-actions" aria-label="Bulk action">
				<CsrfField token={csrfToken} />
				<Hidden fields={view.hidden} />
				<div class="bulk-fields">
					<div class="field">
						<label for="bulk-action">Action</label>
						<select id="bulk-action" name="action">
							{view.actions.map((a) => (
								<option value={a.value}>{a.label}</option>
							))}
						</select>
					</div>
					<div class="field">
						<label for="bulk-reason">Reason (when suspending)</label>
						<input id="bulk-reason" name="reason" type="text" maxlength={500} />
					</div>
					{view.versions.length > 0 ? (
						<div class="field">
							<label for="bulk-version">{`Version of ${view.workflowName ?? "the workflow"} (when migrating)`}</label>
							<select id="bulk-version" name="toVersion">
								{view.versions.map((v) => (
									<option value={v.value}>{v.label}</option>
								))}
							</select>
						</div>
					) : null}
				</div>
				<p class="muted">
					You see how many processes it acts on, and for a migration the dry run, before anything
					changes. Nodes keep their keys in a migration; for another mapping use the workflow's
					migration page.
				</p>
				<div class="form-actions">
					<button type="submit" name="step" value="preview">
						Preview
					</button>
					<a href="/bulk-actions">Recent bulk actions</a>
				</div>
			</form>
		</details>
	);
}

export function BulkPreviewPage({ chrome, view }: { chrome: Chrome; view: BulkPreviewView }) {
	return (
		<Layout title={view.title} csrfToken={chrome.csrfToken} user={chrome.user} current="processes">
			<nav class="breadcrumb" aria-label="Breadcrumb">
				<a href={view.backHref}>Processes</a>
			</nav>
			<div class="page-head">
				<h1>{view.title}</h1>
				<p class="page-lead muted">{view.lead}</p>
			</div>
			{view.count === 0 ? (
				<EmptyState title="Nothing to do">
					<p>
						No process these filters select can take this action.{" "}
						<a href={view.backHref}>Back to the list</a>.
					</p>
				</EmptyState>
			) : view.tooMany ? (
				<EmptyState title="Too many processes for one bulk action">
					<p>
						One bulk action acts on at most 10,000 processes.{" "}
						<a href={view.backHref}>Narrow the filters</a> and try again.
					</p>
				</EmptyState>
			) : (
				<>
					{view.dryRun ? (
						<section class="card" aria-labelledby="dry-run-title">
							<h2 id="dry-run-title">{`Dry run of the first ${view.dryRun.length}`}</h2>
							<div class="table-scroll" tabindex={0}>
								<table class="table">
									<caption class="visually-hidden">What the migration would do to each</caption>
									<TableHead columns={["Process", "Outcome"]} />
									<tbody>
										{view.dryRun.map((d) => (
											<tr>
												<th scope="row">
													<a href={d.href}>{d.processId}</a>
												</th>
												<td>
													<span class={`badge tone-${d.migrated ? "success" : "danger"}`}>
														{d.migrated ? "Moves" : "Stays"}
													</span>{" "}
													{d.migrated ? "" : d.why}
												</td>
											</tr>
										))}
									</tbody>
								</table>
							</div>
						</section>
					) : null}
					<form method="post" action="/bulk-actions" class="card" aria-label="Confirm">
						<CsrfField token={chrome.csrfToken} />
						<Hidden fields={view.hidden} />
						<p>
							Each process gets the same act as from its own page, and its history records it.
							Processes that changed meanwhile are skipped, with the reason.
						</p>
						<div class="form-actions">
							<button type="submit" name="step" value="start" class="button-danger">
								{view.startLabel}
							</button>
							<a href={view.backHref}>Back to the list</a>
						</div>
					</form>
				</>
			)}
		</Layout>
	);
}

/** The part that refreshes: the bar, the counts and the problems. */
export function BulkProgress({ view, csrfToken }: { view: BulkOperationView; csrfToken: string }) {
	const running = view.status === "running";
	return (
		<div
			id="bulk-progress"
			hx-get={running ? view.href : undefined}
			hx-trigger={running ? "load delay:1s" : undefined}
			hx-swap={running ? "outerHTML" : undefined}
		>
			<section class="card" aria-labelledby="bulk-status-title">
				<h2 id="bulk-status-title">{view.statusText}</h2>
				<Progress value={view.percent} label={view.title} />
				<dl class="facts">
					<div>
						<dt>Done</dt>
						<dd>{view.succeeded.toLocaleString("en")}</dd>
					</div>
					<div>
						<dt>Skipped</dt>
						<dd>{view.skipped.toLocaleString("en")}</dd>
					</div>
					<div>
						<dt>Failed</dt>
						<dd>{view.failed.toLocaleString("en")}</dd>
					</div>
					<div>
						<dt>Started</dt>
						<dd>
							<When at={view.started} />
						</dd>
					</div>
					{view.finished ? (
						<div>
							<dt>Finished</dt>
							<dd>
								<When at={view.finished} />
							</dd>
						</div>
					) : null}
				</dl>
				{running ? (
					<div class="form-actions">
						<noscript>
							<a href={view.href}>Refresh</a>
						</noscript>
						<form method="post" action={`${view.href}/cancel`}>
							<CsrfField token={csrfToken} />
							<button type="submit">Cancel what is left</button>
						</form>
					</div>
				) : null}
			</section>
			{view.problems.length > 0 ? (
				<section class="card" aria-labelledby="bulk-problems-title">
					<h2 id="bulk-problems-title">Skipped or failed</h2>
					<div class="table-scroll" tabindex={0}>
						<table class="table">
							<caption class="visually-hidden">The processes it did not act on, and why</caption>
							<TableHead columns={["Process", "Outcome", "Why"]} />
							<tbody>
								{view.problems.map((p) => (
									<tr>
										<th scope="row">
											<a href={p.href}>{p.processId}</a>
										</th>
										<td>{p.outcome}</td>
										<td>{p.why}</td>
									</tr>
								))}
							</tbody>
						</table>
					</div>
				</section>
			) : null}
		</div>
	);
}

export function BulkOperationPage({ chrome, view }: { chrome: Chrome; view: BulkOperationView }) {
	return (
		<Layout title={view.title} csrfToken={chrome.csrfToken} user={chrome.user} current="processes">
			<nav class="breadcrumb" aria-label="Breadcrumb">
				<a href="/processes">Processes</a>
				<span aria-hidden="true"> › </span>
				<a href="/bulk-actions">Bulk actions</a>
			</nav>
			<div class="page-head">
				<h1>{view.title}</h1>
			</div>
			<p class="visually-hidden" role="status">
				{view.statusText}
			</p>
			<BulkProgress view={view} csrfToken={chrome.csrfToken} />
		</Layout>
	);
}

export function BulkListPage({ chrome, items }: { chrome: Chrome; items: BulkOperationView[] }) {
	return (
		<Layout
			title="Bulk actions"
			csrfToken={chrome.csrfToken}
			user={chrome.user}
			current="processes"
		>
			<nav class="breadcrumb" aria-label="Breadcrumb">
				<a href="/processes">Processes</a>
			</nav>
			<div class="page-head">
				<h1>Bulk actions</h1>
				<p class="page-lead muted">The latest 20, newest first.</p>
			</div>
			{items.length === 0 ? (
				<EmptyState title="No bulk action yet">
					<p>
						Filter the <a href="/processes">processes</a>, then open "Act on every process these
						filters select" under the filters.
					</p>
				</EmptyState>
			) : (
				<div class="table-scroll" tabindex={0}>
					<table class="table">
						<caption class="visually-hidden">Bulk actions, newest first</caption>
						<TableHead columns={["Action", "Progress", "Started"]} />
						<tbody>
							{items.map((op) => (
								<tr>
									<th scope="row">
										<a href={op.href}>{op.title}</a>
									</th>
									<td>
										<Progress value={op.percent} label={op.title} /> {op.statusText}
									</td>
									<td>
										<When at={op.started} />
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
		</Layout>
	);
}
