// The inbox: the viewer's tasks and their roles' queues, with filters, a search, an order, saved
// filters and a bulk claim. The results are fetched again whenever the person's live stream says
// their tasks changed (morphed in place so focus and scroll stay put); without JavaScript the
// filters are a plain GET form, the claims plain form posts, and a reload shows what is new.

import type { Child } from "hono/jsx";
import {
	DEFAULT_SORT_LABEL,
	type InboxItemView,
	type InboxSection,
	type InboxView,
} from "../src/http/view-models/inbox.ts";
import type { Chrome } from "../src/http/view-models/page-context.ts";
import {
	Badge,
	CsrfField,
	EmptyState,
	FilterBar,
	FilterSelect,
	fieldBinder,
	InboxCount,
	NoticeFor,
	OverdueBadge,
	Progress,
	When,
	Words,
} from "./components.tsx";
import { Layout } from "./layout.tsx";

export function InboxPage({
	chrome,
	view,
	notice,
}: {
	chrome: Chrome;
	view: InboxView;
	notice?: string;
}) {
	const bind = fieldBinder(view.filter, {}, "inbox-");
	return (
		<Layout
			title="Inbox"
			csrfToken={chrome.csrfToken}
			user={chrome.user}
			current="inbox"
			{...(view.openTasks === undefined ? {} : { openTasks: view.openTasks })}
		>
			<div class="page-head page-head-row">
				<h1>Inbox</h1>
				{/* Shown by app.js once the stream is connected: without it, nothing here is live. */}
				<div id="inbox-stream" class="live-indicator" hx-sse:connect="/inbox/events" hidden>
					<span class="live-dot" aria-hidden="true" />
					<span class="live-text">Live</span>
				</div>
			</div>
			<NoticeFor code={notice} extra={view.done} />
			<FilterBar
				id="inbox-filters"
				action="/inbox"
				label="Filter the inbox"
				resultsId="inbox-results"
				search={{ id: "inbox-q", value: view.filter.q, placeholder: "Task, process or workflow" }}
				isFiltered={view.isFiltered}
			>
				<FilterSelect
					{...bind("workflow")}
					label="Workflow"
					anyLabel="All workflows"
					choices={view.choices.workflows}
				/>
				{view.choices.roles.length > 0 ? (
					<FilterSelect
						{...bind("role")}
						label="Role"
						anyLabel="All my roles"
						choices={view.choices.roles}
					/>
				) : null}
				<FilterSelect
					{...bind("status")}
					label="Status"
					anyLabel="Any status"
					choices={view.choices.statuses}
				/>
				<FilterSelect
					{...bind("due")}
					label="Due date"
					anyLabel="Any due date"
					choices={view.choices.due}
				/>
				<FilterSelect
					{...bind("sort")}
					label="Order"
					anyLabel={DEFAULT_SORT_LABEL}
					choices={view.choices.sorts}
				/>
			</FilterBar>
			{/*
			 * Fetched again when the stream says tasks changed (it also says so on connecting, for a
			 * change between render and connect); the poll covers a lost announcement, and comes sooner
			 * when a shown task is about to fall due (nothing announces that).
			 */}
			<div
				id="inbox-results"
				hx-get="/inbox"
				hx-include="#inbox-filters"
				hx-trigger={`tasks-changed from:#inbox-stream delay:150ms, every ${view.refreshSeconds}s`}
				hx-swap="innerMorph"
			>
				<InboxResults view={view} csrfToken={chrome.csrfToken} />
			</div>
		</Layout>
	);
}

function InboxLead({ view }: { view: InboxView }) {
	const { count, href } = view.overdue;
	// Offered as a link (the filters kept) unless only the overdue ones are shown already.
	const overdue =
		count > 0 ? (
			<>
				{" "}
				{view.filter.due === "overdue" ? (
					`${count} overdue.`
				) : (
					<a href={href}>{`${count} overdue`}</a>
				)}
			</>
		) : null;
	if (view.waitingForYou === 0) return <>Nothing waits for your input right now.{overdue}</>;
	return (
		<>
			<strong>{view.waitingForYou}</strong>
			{` task${view.waitingForYou === 1 ? "" : "s"} wait${view.waitingForYou === 1 ? "s" : ""} for your input.`}
			{overdue}
		</>
	);
}

/** The fragment the live refresh and the filters swap in. */
export function InboxResults({ view, csrfToken }: { view: InboxView; csrfToken: string }) {
	return (
		<>
			<p class="page-lead" id="inbox-lead" role="status">
				<InboxLead view={view} />
			</p>
			<SavedFilters view={view} csrfToken={csrfToken} />
			{view.sections.map((section) => (
				<Section
					section={section}
					csrfToken={csrfToken}
					isFiltered={view.isFiltered}
					canStart={view.canStart}
					bulkClaim={
						section.items.some((i) => i.canClaim) ? (
							<form id="inbox-claim" method="post" action="/inbox/claim" class="bulk-claim">
								<CsrfField token={csrfToken} />
								<input type="hidden" name="back" value={view.query} />
								<button type="submit" class="button-secondary">
									Claim the ticked tasks
								</button>
							</form>
						) : null
					}
				/>
			))}
			{view.truncated ? (
				<p class="muted">Only the first tasks are shown; narrow the filters to see the rest.</p>
			) : null}
		</>
	);
}

/** What a refresh of the results answers: the results, and the navigation's count beside them. */
export function InboxRefresh({ view, csrfToken }: { view: InboxView; csrfToken: string }) {
	return (
		<>
			<InboxResults view={view} csrfToken={csrfToken} />
			{view.openTasks === undefined ? null : (
				<hx-partial hx-target="#nav-inbox-count" hx-swap="outerHTML">
					<InboxCount count={view.openTasks} />
				</hx-partial>
			)}
		</>
	);
}

/** The person's saved filters (links anyone may open), and saving the filters shown now. */
function SavedFilters({ view, csrfToken }: { view: InboxView; csrfToken: string }) {
	return (
		<section class="saved-filters" aria-labelledby="saved-filters-title">
			<h2 id="saved-filters-title" class="saved-filters-title">
				Saved filters
			</h2>
			{view.savedFilters.length > 0 ? (
				<ul class="saved-filter-list">
					{view.savedFilters.map((f) => (
						<li>
							<a href={f.href} aria-current={f.isCurrent ? "true" : undefined}>
								{f.name}
							</a>
							<form method="post" action={`/inbox/filters/${f.id}/delete`} class="inline">
								<CsrfField token={csrfToken} />
								<button
									type="submit"
									class="button-link"
									aria-label={`Delete the saved filter ${f.name}`}
								>
									Delete
								</button>
							</form>
						</li>
					))}
				</ul>
			) : null}
			<form method="post" action="/inbox/filters" class="save-filter">
				<CsrfField token={csrfToken} />
				<input type="hidden" name="query" value={view.query} />
				<label for="save-filter-name">Save these filters and order as</label>
				<input
					id="save-filter-name"
					name="name"
					type="text"
					maxlength={60}
					required
					autocomplete="off"
				/>
				<button type="submit" class="button-secondary">
					Save
				</button>
			</form>
		</section>
	);
}

function Section({
	section,
	csrfToken,
	isFiltered,
	canStart,
	bulkClaim,
}: {
	section: InboxSection;
	csrfToken: string;
	isFiltered: boolean;
	canStart: boolean;
	/** The form the section's ticks belong to, when it holds tasks the viewer may claim. */
	bulkClaim: Child;
}) {
	const headingId = `inbox-${section.id}-title`;
	return (
		<section class="inbox-section" aria-labelledby={headingId} id={`inbox-${section.id}`}>
			<h2 id={headingId}>
				{section.title} <span class="count">{section.items.length}</span>
			</h2>
			{bulkClaim}
			{section.items.length === 0 ? (
				<EmptyState title={isFiltered ? "No task matches these filters." : section.empty}>
					{section.id === "mine" && !isFiltered ? (
						<p>
							<span class="live-only">New tasks appear here by themselves.</span>
							<span class="static-only">Reload the page to see new tasks.</span>{" "}
							{canStart ? (
								<>
									<a href="/workflows">Start a process</a> or look at{" "}
								</>
							) : (
								"Look at "
							)}
							<a href="/processes">the processes</a>.
						</p>
					) : null}
				</EmptyState>
			) : (
				<ul class="task-list" id={`inbox-${section.id}-list`}>
					{section.items.map((item) => (
						<Item item={item} csrfToken={csrfToken} />
					))}
				</ul>
			)}
		</section>
	);
}

function Item({ item, csrfToken }: { item: InboxItemView; csrfToken: string }) {
	return (
		<li
			class={`task-card${item.isHighPriority ? " is-high" : ""}${item.due?.isPast ? " is-overdue" : ""}`}
			id={`inbox-item-${item.id.replace(/[^A-Za-z0-9_-]/g, "_")}`}
		>
			<div class="task-card-main">
				{item.canClaim ? (
					<input
						type="checkbox"
						class="bulk-tick"
						name="task"
						value={item.id}
						form="inbox-claim"
						aria-label={`Tick ${item.nodeName} of ${item.processLabel} to claim`}
					/>
				) : null}
				<a class="task-card-title" href={item.href}>
					{item.nodeName}
				</a>
				<p class="task-card-meta">
					<a href={item.processHref}>{item.processLabel}</a>
					<span aria-hidden="true"> · </span>
					<span>{item.workflowName}</span>
					{item.roleName ? (
						<>
							<span aria-hidden="true"> · </span>
							<span>{item.roleName}</span>
						</>
					) : null}
				</p>
			</div>
			<div class="task-card-state">
				<Badge status={item.status} />
				{item.due?.isPast ? <OverdueBadge /> : null}
				{item.hasIncident ? <span class="badge tone-danger">Incident</span> : null}
				{item.isHighPriority ? <span class="badge tone-danger-soft">{item.priority}</span> : null}
				{item.status.tone === "info" ? (
					<Progress value={item.progress} label={`Progress of ${item.nodeName}`} />
				) : null}
			</div>
			<div class="task-card-side">
				<span class="task-card-who">{item.assigneeName}</span>
				<span class="muted">
					Waiting since <When at={item.created} />
				</span>
				{item.due ? (
					<span class={`task-card-due${item.due.isPast ? " is-overdue" : ""}`}>
						<Words date={item.due} />
					</span>
				) : null}
				{item.followUp ? (
					<span class={`task-card-due${item.followUp.isPast ? " is-reached" : ""}`}>
						<Words date={item.followUp} />
					</span>
				) : null}
				{item.canClaim ? (
					<form method="post" action={item.claimAction} class="inline">
						<CsrfField token={csrfToken} />
						<button type="submit" class="button-small" aria-label={`Claim ${item.nodeName}`}>
							Claim
						</button>
					</form>
				) : null}
			</div>
		</li>
	);
}
