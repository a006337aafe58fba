// The admins' list of workflows (latest version, draft, processes running) and the form that
// starts a new one as an empty draft.

import type { Chrome } from "../../src/http/view-models/page-context.ts";
import {
	At,
	EmptyState,
	ErrorSummary,
	FormActions,
	fieldBinder,
	linkedErrors,
	TableHead,
	TextField,
} from "../components.tsx";
import { AdminPage, PostForm, trail } from "./admin-page.tsx";

export interface WorkflowListRow {
	key: string;
	name: string;
	latestVersion: number | null;
	hasDraft: boolean;
	running: number;
	updatedAt: number;
}

export function WorkflowsPage({
	chrome,
	workflows,
	form,
	notice,
}: {
	chrome: Chrome;
	workflows: WorkflowListRow[];
	form: { values: { key: string; name: string }; errors: Record<string, string> };
	notice?: string | undefined;
}) {
	const bind = fieldBinder(form.values, form.errors, "new-");
	const href = (key: string) => `/admin/workflows/${encodeURIComponent(key)}`;
	const errors = linkedErrors(form.errors, "new-");
	return (
		<AdminPage
			chrome={chrome}
			title="Workflows"
			section="workflows"
			crumbs={trail()}
			notice={notice}
			lead="Published versions never change; processes stay on the version they started on. Edit a draft, then publish it as the next version."
		>
			{workflows.length === 0 ? (
				<EmptyState title="No workflows yet">
					<p>Create one below, or import a JSON or BPMN file.</p>
				</EmptyState>
			) : (
				<div class="table-scroll table-block">
					<table class="table">
						<caption class="visually-hidden">Workflows</caption>
						<TableHead
							columns={[
								"Name",
								"Key",
								{ label: "Latest version", num: true },
								"Draft",
								{ label: "Processes running", num: true },
								"Changed",
							]}
						/>
						<tbody>
							{workflows.map((w) => (
								<tr>
									<th scope="row">
										<a href={href(w.key)}>{w.name}</a>
									</th>
									<td>
										<code>{w.key}</code>
									</td>
									<td class="num">
										{w.latestVersion === null ? (
											<span class="muted">not published</span>
										) : (
											`v${w.latestVersion}`
										)}
									</td>
									<td>
										{w.hasDraft ? (
											<a href={`${href(w.key)}/draft`}>
												Edit draft<span class="visually-hidden">{` of ${w.name}`}</span>
											</a>
										) : (
											<span class="muted">—</span>
										)}
									</td>
									<td class="num">{w.running}</td>
									<td>
										<At at={w.updatedAt} />
									</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			)}
			<div class="columns">
				<section class="card" aria-labelledby="new-title">
					<h2 id="new-title">New workflow</h2>
					<ErrorSummary errors={errors} />
					<PostForm action="/admin/workflows" csrfToken={chrome.csrfToken} class="form">
						<TextField
							{...bind("key")}
							label="Key"
							required
							maxlength={64}
							help="A letter, then letters, digits, _ . - ; it never changes (processes, webhooks and the API use it)."
						/>
						<TextField {...bind("name")} label="Name" required maxlength={100} />
						<FormActions label="Create and open the editor" />
					</PostForm>
				</section>
				<section class="card" aria-labelledby="import-title">
					<h2 id="import-title">From a file</h2>
					<p>
						Import a workflow in Baton's JSON format, or a BPMN 2.0 diagram drawn in Camunda Modeler
						or bpmn.io.
					</p>
					<p>
						<a class="button button-secondary" href="/admin/import">
							Import JSON or BPMN
						</a>
					</p>
				</section>
			</div>
		</AdminPage>
	);
}
