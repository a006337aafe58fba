// The migration page of a workflow (O2): choose the versions, map each node of the old version to
// one of the new (or revoke its tasks), see the dry run per process, then apply it. Plain forms that
// work without JavaScript; the results are a table with a caption and row headers.
import type { MigrationPageView } from "../../src/http/view-models/migration-page.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { EmptyState, SelectField, TableHead } from "../components.tsx";
import { AdminPage, PostForm, trail } from "./admin-page.tsx";

export function MigrationPage({ chrome, view }: { chrome: Chrome; view: MigrationPageView }) {
	const href = `/admin/workflows/${encodeURIComponent(view.workflowKey)}/migrate`;
	return (
		<AdminPage
			chrome={chrome}
			title={`Migrate running processes of ${view.workflowKey}`}
			section="workflows"
			crumbs={trail("workflows", {
				href: `/admin/workflows/${encodeURIComponent(view.workflowKey)}`,
				label: view.workflowKey,
			})}
			lead="Each process moves on its own, all at once or not at all; those that cannot migrate stay where they are. See the dry run first."
		>
			<form method="get" action={href} class="card" aria-label="Versions">
				<SelectField
					id="migrate-from"
					name="from"
					label="Processes on"
					value={String(view.from)}
					choices={view.versions}
				/>
				<SelectField
					id="migrate-to"
					name="to"
					label="Move them to"
					value={String(view.to)}
					choices={view.versions}
				/>
				<button type="submit">Choose these versions</button>
			</form>
			<PostForm action={href} csrfToken={chrome.csrfToken} class="card" label="Node mapping">
				<input type="hidden" name="from" value={String(view.from)} />
				<input type="hidden" name="to" value={String(view.to)} />
				<fieldset>
					<legend>{`Where each node of version ${view.from} goes in version ${view.to}`}</legend>
					{view.mapping.map((row) => (
						<SelectField
							id={`map-${row.node}`}
							name={row.field}
							label={row.nodeName}
							value={row.value}
							choices={row.choices}
						/>
					))}
				</fieldset>
				<div class="form-actions">
					<button type="submit" name="act" value="dry-run" class="button-primary">
						Dry run
					</button>
					<button type="submit" name="act" value="apply" class="button-danger">
						Apply the migration
					</button>
				</div>
			</PostForm>
			{view.results ? <MigrationResults view={view} /> : null}
		</AdminPage>
	);
}

function MigrationResults({ view }: { view: MigrationPageView }) {
	const results = view.results ?? [];
	const title = view.dryRun ? "Dry run" : "Result";
	return (
		<section aria-labelledby="migration-results-title">
			<h2 id="migration-results-title">{title}</h2>
			{results.length === 0 ? (
				<EmptyState title="No running process on that version">
					There is nothing to migrate.
				</EmptyState>
			) : (
				<table class="table" id="migration-results">
					<caption>
						{`${title}: ${results.length} process${results.length === 1 ? "" : "es"} of version ${view.from} to version ${view.to}`}
					</caption>
					<TableHead columns={["Process", "Outcome", "Moves", "Revoked", "Why not"]} />
					<tbody>
						{results.map((r) => (
							<tr>
								<th scope="row">
									<a href={r.href}>{r.processId}</a>
								</th>
								<td>{r.outcome}</td>
								<td>{r.moves.length > 0 ? <List items={r.moves} /> : "—"}</td>
								<td>{r.revoked.length > 0 ? <List items={r.revoked} /> : "—"}</td>
								<td>{r.blockers.length > 0 ? <List items={r.blockers} /> : "—"}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{view.hasMore ? (
				<p>More processes are on that version: run it again for the next ones.</p>
			) : null}
		</section>
	);
}

function List({ items }: { items: string[] }) {
	return (
		<ul class="plain-list">
			{items.map((i) => (
				<li>{i}</li>
			))}
		</ul>
	);
}
