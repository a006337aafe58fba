// One workflow for admins: its draft, its versions with the processes on each, the files of the
// latest version, comparing two versions, and a new draft from any version.

import type { DiagramView } from "../../src/diagram/view.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { At, EmptyState, TableHead } from "../components.tsx";
import { Diagram } from "../diagram.tsx";
import { AdminPage, PostForm, trail } from "./admin-page.tsx";
import { CompareForm } from "./diff.tsx";
import { type Choice, GrantForm, GrantsTable, type GrantView } from "./grants.tsx";
import { RetentionCard, type RetentionView } from "./retention.tsx";

export interface VersionRow {
	version: number;
	publishedAt: number;
	publishedBy: string | null;
	running: number;
	finished: number;
}

export interface WorkflowSummaryView {
	key: string;
	name: string;
	description: string | null;
	latestVersion: number | null;
	draft: {
		revision: number;
		basedOn: number | null;
		savedAt: number;
		savedBy: string | null;
	} | null;
}

const base = (key: string) => `/admin/workflows/${encodeURIComponent(key)}`;

export function WorkflowPage({
	chrome,
	workflow,
	versions,
	diagram,
	retention,
	grants,
	subjects,
	notice,
}: {
	chrome: Chrome;
	workflow: WorkflowSummaryView;
	versions: VersionRow[];
	diagram: DiagramView | null;
	retention: RetentionView;
	/** Grants on this workflow and on every workflow ("*"). */
	grants: GrantView[];
	/** Roles and users, as `role:<key>` and `user:<id>`. */
	subjects: Choice[];
	notice?: string | undefined;
}) {
	const w = workflow;
	return (
		<AdminPage
			chrome={chrome}
			title={w.name}
			section="workflows"
			crumbs={trail("workflows")}
			notice={notice}
		>
			<div class="page-head">
				<h1>{w.name}</h1>
				<p class="page-lead muted">
					{`Key ${w.key} · `}
					{w.latestVersion === null ? "not published yet" : `latest version ${w.latestVersion}`}
				</p>
				{w.description ? <p>{w.description}</p> : null}
				<p>
					<a href={`${base(w.key)}/flow`}>How the work flows</a>
				</p>
			</div>
			<section class="card" aria-labelledby="draft-title">
				<h2 id="draft-title">Draft</h2>
				{w.draft ? (
					<>
						<p>
							{w.draft.basedOn === null
								? "A draft "
								: `A draft started from version ${w.draft.basedOn}, `}
							{"saved "}
							<At at={w.draft.savedAt} />
							{w.draft.savedBy ? ` by ${w.draft.savedBy}` : ""}.
						</p>
						<div class="actions">
							<a class="button button-primary" href={`${base(w.key)}/draft`}>
								Open the editor
							</a>
							{w.latestVersion !== null ? (
								<a
									class="button button-secondary"
									href={`${base(w.key)}/diff?from=${w.latestVersion}&to=draft`}
								>
									{`Changes since version ${w.latestVersion}`}
								</a>
							) : null}
						</div>
					</>
				) : w.latestVersion !== null ? (
					<>
						<p>
							No draft. Editing starts a draft from a version; running processes stay on theirs.
						</p>
						<PostForm
							action={`${base(w.key)}/versions/${w.latestVersion}/edit`}
							csrfToken={chrome.csrfToken}
							class="inline"
						>
							<button type="submit" class="button-primary">
								{`Edit: new draft from version ${w.latestVersion}`}
							</button>
						</PostForm>
					</>
				) : (
					<p class="muted">No draft and no version.</p>
				)}
			</section>
			<section class="card" aria-labelledby="versions-title">
				<h2 id="versions-title">Versions</h2>
				{versions.length > 1 ? (
					<p>
						<a href={`${base(w.key)}/migrate`}>Migrate running processes to another version</a>
					</p>
				) : null}
				{versions.length === 0 ? (
					<EmptyState title="Not published yet">
						<p>Publish the draft to make version 1.</p>
					</EmptyState>
				) : (
					<>
						<div class="table-scroll" tabindex={0}>
							<table class="table">
								<caption class="visually-hidden">{`Versions of ${w.name}`}</caption>
								<TableHead
									columns={[
										"Version",
										"Published",
										"By",
										{ label: "Running", num: true },
										{ label: "Finished", num: true },
										"Files",
										"Actions",
									]}
								/>
								<tbody>
									{versions.map((v) => (
										<tr>
											<th scope="row">
												<a
													href={`${base(w.key)}/versions/${v.version}`}
												>{`Version ${v.version}`}</a>
												{v.version === w.latestVersion ? (
													<span class="badge tone-info">latest</span>
												) : null}
											</th>
											<td>
												<At at={v.publishedAt} />
											</td>
											<td>{v.publishedBy ?? "—"}</td>
											<td class="num">{v.running}</td>
											<td class="num">{v.finished}</td>
											<td class="cell-actions">
												<a href={`${base(w.key)}/versions/${v.version}/export.json`} download="">
													JSON<span class="visually-hidden">{` of version ${v.version}`}</span>
												</a>
												<a href={`${base(w.key)}/versions/${v.version}/export.bpmn`} download="">
													BPMN<span class="visually-hidden">{` of version ${v.version}`}</span>
												</a>
											</td>
											<td class="cell-actions">
												{v.version > 1 ? (
													<a href={`${base(w.key)}/diff?from=${v.version - 1}&to=${v.version}`}>
														Changes<span class="visually-hidden">{` in version ${v.version}`}</span>
													</a>
												) : null}
												<EditFromVersion chrome={chrome} workflow={w} version={v.version} />
											</td>
										</tr>
									))}
								</tbody>
							</table>
						</div>
						<VersionCompareForm workflow={w} versions={versions} />
					</>
				)}
			</section>
			<RetentionCard view={retention} csrfToken={chrome.csrfToken} />
			<section class="card" aria-labelledby="grants-title">
				<h2 id="grants-title">Who may start it</h2>
				<p class="muted small">
					Administrators may do everything. Others need a grant, on this workflow or on every
					workflow.
				</p>
				<GrantsTable
					grants={grants}
					csrf={chrome.csrfToken}
					back={base(w.key)}
					show={{ subject: true, scope: true }}
					caption={`Permissions on ${w.name}`}
				/>
				<GrantForm
					csrf={chrome.csrfToken}
					back={base(w.key)}
					id="workflow-grant"
					subjects={subjects}
					scope={w.key}
				/>
			</section>
			{diagram ? (
				<section class="card" aria-labelledby="diagram-title">
					<h2 id="diagram-title">{`Version ${w.latestVersion}`}</h2>
					<Diagram view={diagram} id="latest-diagram" />
				</section>
			) : null}
		</AdminPage>
	);
}

/** A new draft from a version; with a draft already there, the button says it replaces it. */
export function EditFromVersion({
	chrome,
	workflow,
	version,
}: {
	chrome: Chrome;
	workflow: Pick<WorkflowSummaryView, "key" | "draft">;
	version: number;
}) {
	const replacing = workflow.draft !== null;
	return (
		<PostForm
			action={`${base(workflow.key)}/versions/${version}/edit`}
			csrfToken={chrome.csrfToken}
			class="inline"
			confirm={
				replacing
					? `Replace the current draft with version ${version}? The draft's changes are lost.`
					: undefined
			}
		>
			{replacing ? (
				<input type="hidden" name="replace" value={String(workflow.draft?.revision)} />
			) : null}
			<button
				type="submit"
				class={`button-small ${replacing ? "button-danger" : "button-secondary"}`}
			>
				{replacing ? `Replace the draft with version ${version}` : `Edit from version ${version}`}
			</button>
		</PostForm>
	);
}

function VersionCompareForm({
	workflow,
	versions,
}: {
	workflow: WorkflowSummaryView;
	versions: VersionRow[];
}) {
	const choices = [
		...versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` })),
		...(workflow.draft ? [{ value: "draft", label: "The draft" }] : []),
	];
	const latest = versions[0]?.version ?? 1;
	return (
		<CompareForm
			action={`${base(workflow.key)}/diff`}
			idPrefix="compare"
			choices={choices}
			from={String(Math.max(1, latest - 1))}
			to={workflow.draft ? "draft" : String(latest)}
		/>
	);
}
