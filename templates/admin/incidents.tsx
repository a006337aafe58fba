// The incidents page: what needs an admin, grouped by kind, each with the acts that resolve it
// (retry, revoke, stop, reassign, raise the budget, resolve). Every act is a plain form; with htmx
// the list is redrawn in place.
import type { IncidentCategory, IncidentItem } from "../../src/admin/incidents.ts";
import { suggestedBudget } from "../../src/admin/incidents.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { At, EmptyState } from "../components.tsx";
import { AdminPage, PostForm, trail } from "./admin-page.tsx";

export interface IncidentsView {
	categories: {
		category: IncidentCategory;
		items: {
			item: IncidentItem;
			assignees?:
				| {
						members: { value: string; label: string }[];
						others: { value: string; label: string }[];
				  }
				| undefined;
		}[];
	}[];
	/** Processes read in detail, and how many need attention in all. */
	shown: number;
	total: number;
	nonce: string;
}

const TITLES: Record<IncidentCategory, { title: string; help: string }> = {
	failed: {
		title: "Failed tasks",
		help: "Tasks that failed after their retries. Retry gives them a new attempt; when the task failed its whole process, Retry reopens the process (the tasks its failure revoked stay revoked).",
	},
	dead_letter: {
		title: "Undelivered task messages",
		help: "Task messages the queue could not deliver after every retry, or that no worker claimed after several re-sends (lost). Retry sends the task again.",
	},
	unassigned: {
		title: "Tasks without an assignee",
		help: "Nobody in the node's role could be assigned. Assign someone, or add members to the role.",
	},
	stuck: {
		title: "Stuck processes",
		help: "Nothing runs and nothing can fire (an AND join that cannot be satisfied, a result no transition matches).",
	},
	step_budget: {
		title: "Over their step budget",
		help: "A process stops creating tasks at its budget (a runaway loop). Raise the budget to resume it.",
	},
	other: { title: "Other incidents", help: "" },
};

export function IncidentsPage({
	chrome,
	view,
	notice,
}: {
	chrome: Chrome;
	view: IncidentsView;
	notice?: string | undefined;
}) {
	return (
		<AdminPage
			chrome={chrome}
			title="Incidents"
			section="incidents"
			crumbs={trail()}
			notice={notice}
			lead="What needs an administrator. Every act is recorded in the process history with your name."
		>
			<IncidentsList chrome={chrome} view={view} />
		</AdminPage>
	);
}

/** The swap target of every act on this page. */
export function IncidentsList({
	chrome,
	view,
	status,
}: {
	chrome: Chrome;
	view: IncidentsView;
	status?: string;
}) {
	const count = view.categories.reduce((n, c) => n + c.items.length, 0);
	return (
		<div id="incidents">
			{status ? (
				<p class="alert alert-success" role="status" tabindex={-1} autofocus>
					{status}
				</p>
			) : null}
			<nav class="incident-summary" aria-label="Incident kinds">
				<ul>
					{view.categories
						.filter(({ category, items }) => category !== "other" || items.length > 0)
						.map(({ category, items }) => (
							<li>
								{items.length > 0 ? (
									<a href={`#${category}`}>
										{TITLES[category].title} <span class="badge tone-danger">{items.length}</span>
									</a>
								) : (
									<span class="muted">
										{TITLES[category].title} <span class="badge tone-muted">0</span>
									</span>
								)}
							</li>
						))}
				</ul>
			</nav>
			{view.total > view.shown ? (
				<p
					class="alert alert-info"
					role="status"
				>{`${view.total} processes need attention; the ${view.shown} most recent are shown.`}</p>
			) : null}
			{count === 0 ? (
				<EmptyState title="Nothing needs you">
					<p>No failed, stuck, unassigned or over-budget work.</p>
				</EmptyState>
			) : null}
			{view.categories.map(({ category, items }) =>
				items.length === 0 ? null : (
					<section
						class="card incident-section"
						id={category}
						aria-labelledby={`${category}-title`}
					>
						<h2 id={`${category}-title`}>{`${TITLES[category].title} (${items.length})`}</h2>
						{TITLES[category].help ? <p class="muted small">{TITLES[category].help}</p> : null}
						<ul class="incident-list">
							{items.map(({ item, assignees }) => (
								<li>
									<Incident chrome={chrome} item={item} nonce={view.nonce} assignees={assignees} />
								</li>
							))}
						</ul>
					</section>
				),
			)}
		</div>
	);
}

function Incident({
	chrome,
	item,
	nonce,
	assignees,
}: {
	chrome: Chrome;
	item: IncidentItem;
	nonce: string;
	assignees?: IncidentsView["categories"][number]["items"][number]["assignees"];
}) {
	const id = `incident-${item.id.replace(/[^A-Za-z0-9_-]/g, "-")}`;
	const title = item.nodeName ? `${item.nodeName} in ${item.processName}` : item.processName;
	const hidden = (
		<>
			<input type="hidden" name="process" value={item.processId} />
			{item.taskId ? <input type="hidden" name="task" value={item.taskId} /> : null}
			{item.incidentId ? <input type="hidden" name="incident" value={item.incidentId} /> : null}
			<input type="hidden" name="_nonce" value={nonce} />
		</>
	);
	const form = (
		action: string,
		label: string,
		tone: "primary" | "secondary" | "danger",
		confirm?: string,
	) => (
		<PostForm
			action={`/admin/incidents/${action}`}
			csrfToken={chrome.csrfToken}
			target="#incidents"
			class="inline"
			confirm={confirm}
		>
			{hidden}
			<button type="submit" class={`button-small button-${tone}`}>
				{label}
				<span class="visually-hidden">{`: ${title}`}</span>
			</button>
		</PostForm>
	);
	return (
		<article class="incident" id={id} aria-labelledby={`${id}-title`}>
			<h3 id={`${id}-title`} class="incident-title">
				<a href={`/processes/${encodeURIComponent(item.processId)}`}>{title}</a>
			</h3>
			<p class="incident-message">{item.message}</p>
			<p class="muted small">
				{`${item.workflowName} v${item.version}`}
				{item.role ? ` · role ${item.role}` : ""}
				{item.attempt && item.attempt > 1 ? ` · attempt ${item.attempt}` : ""}
				{item.stepBudget !== undefined
					? ` · ${item.stepsUsed} of ${item.stepBudget} steps used`
					: ""}
				{" · "}
				<At at={item.at} />
			</p>
			<div class="actions incident-actions">
				{item.actions.includes("retry") ? form("retry", "Retry", "primary") : null}
				{item.actions.includes("assign") && assignees ? (
					<PostForm
						action="/admin/incidents/assign"
						csrfToken={chrome.csrfToken}
						target="#incidents"
						class="inline-form"
					>
						{hidden}
						<label for={`${id}-assignee`}>Assign to</label>
						<select id={`${id}-assignee`} name="assignee">
							{assignees.members.length > 0 ? (
								<optgroup label={`Members of ${item.role}`}>
									{assignees.members.map((u) => (
										<option value={u.value}>{u.label}</option>
									))}
								</optgroup>
							) : null}
							<optgroup
								label={
									item.role
										? `Not in ${item.role}: choosing one adds them to the role`
										: "Other users"
								}
							>
								{assignees.others.map((u) => (
									<option value={u.value}>{u.label}</option>
								))}
							</optgroup>
						</select>
						<button type="submit" class="button-small button-primary">
							Assign<span class="visually-hidden">{`: ${title}`}</span>
						</button>
					</PostForm>
				) : null}
				{item.actions.includes("raise-budget") && item.stepBudget !== undefined ? (
					<PostForm
						action="/admin/incidents/budget"
						csrfToken={chrome.csrfToken}
						target="#incidents"
						class="inline-form"
					>
						{hidden}
						<label for={`${id}-budget`}>New step budget</label>
						<input
							id={`${id}-budget`}
							name="stepBudget"
							type="number"
							inputmode="numeric"
							min={item.stepBudget + 1}
							step="1"
							value={String(suggestedBudget(item.stepBudget))}
							class="input-number"
						/>
						<button type="submit" class="button-small button-primary">
							Raise and resume<span class="visually-hidden">{`: ${title}`}</span>
						</button>
					</PostForm>
				) : null}
				{item.actions.includes("revoke")
					? form("revoke", "Revoke the task", "secondary", "Revoke this task?")
					: null}
				{item.actions.includes("resolve") ? form("resolve", "Mark resolved", "secondary") : null}
				{item.actions.includes("stop")
					? form(
							"stop",
							"Stop the process",
							"danger",
							"Stop this process? Its active tasks are revoked.",
						)
					: null}
			</div>
		</article>
	);
}
