// The audit log page: who changed what and when, newest first, filtered by who, what (an action or
// its subject), the target and a time span, a page at a time. A plain GET form; no JavaScript.
import type { AuditPageView } from "../../src/http/view-models/audit-page.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { EmptyState, TableHead, TextField, When } from "../components.tsx";
import { AdminPage, trail } from "./admin-page.tsx";

export function AuditPage({ chrome, view }: { chrome: Chrome; view: AuditPageView }) {
	const f = view.filter;
	return (
		<AdminPage
			chrome={chrome}
			title="Audit log"
			section="audit"
			crumbs={trail()}
			lead="Every change an administrator made: people, roles, grants, tokens, workflows, webhooks, settings and acts on running processes."
		>
			<form method="get" action="/admin/audit" class="card filters" aria-label="Filter the log">
				<TextField id="audit-actor" name="actor" label="Who (user id)" value={f.actor} />
				<TextField
					id="audit-action"
					name="action"
					label="What"
					value={f.action}
					help='An action ("process.suspended") or its subject ("process")'
				/>
				<TextField id="audit-target" name="target" label="Target" value={f.target} />
				<TextField id="audit-from" name="from" label="From (day)" type="date" value={f.from} />
				<TextField id="audit-to" name="to" label="Until (day)" type="date" value={f.to} />
				<button type="submit">Filter</button>
			</form>
			{view.entries.length === 0 ? (
				<EmptyState title="No entries">Nothing was recorded that fits these filters.</EmptyState>
			) : (
				<table class="table">
					<caption class="visually-hidden">Audit log entries, newest first</caption>
					<TableHead columns={["When", "Who", "What", "Target", "Details"]} />
					<tbody>
						{view.entries.map((e) => (
							<tr>
								<td>
									<When at={e.at} exact />
								</td>
								<td>{e.actorName}</td>
								<td>
									<code>{e.action}</code>
								</td>
								<td>{e.targetHref ? <a href={e.targetHref}>{e.target}</a> : e.target}</td>
								<td>{e.details ? <code class="wrap">{e.details}</code> : "—"}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{view.olderHref ? (
				<nav aria-label="Pages of the log">
					<a href={view.olderHref} rel="next">
						Older entries
					</a>
				</nav>
			) : null}
		</AdminPage>
	);
}
