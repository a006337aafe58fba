// One published version, read only (D3): its diagram, nodes and transitions, its JSON, its files,
// and a new draft from it.

import type { DiagramView } from "../../src/diagram/view.ts";
import type { WorkflowDefinition } from "../../src/engine/index.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { At, TableHead } from "../components.tsx";
import { Diagram } from "../diagram.tsx";
import { AdminPage, trail } from "./admin-page.tsx";
import { TransitionLabel } from "./diff.tsx";
import { EditFromVersion } from "./workflow.tsx";

export function VersionPage({
	chrome,
	definition,
	version,
	latestVersion,
	publishedAt,
	publishedBy,
	draftRevision,
	diagram,
}: {
	chrome: Chrome;
	definition: WorkflowDefinition;
	version: number;
	latestVersion: number | null;
	publishedAt: number | null;
	publishedBy: string | null;
	draftRevision: number | null;
	diagram: DiagramView;
}) {
	const def = definition;
	const base = `/admin/workflows/${encodeURIComponent(def.key)}`;
	const { version: _v, ...json } = def;
	return (
		<AdminPage
			chrome={chrome}
			title={`${def.name}, version ${version}`}
			section="workflows"
			crumbs={trail("workflows", { href: base, label: def.name })}
		>
			<div class="page-head">
				<h1>
					{`${def.name}, version ${version}`}{" "}
					{version === latestVersion ? <span class="badge tone-info">latest</span> : null}
				</h1>
				<p class="page-lead muted">
					{"Published "}
					<At at={publishedAt} />
					{publishedBy ? ` by ${publishedBy}` : ""}. A published version never changes.
				</p>
			</div>
			<div class="actions">
				<a
					class="button button-secondary"
					href={`${base}/versions/${version}/export.json`}
					download=""
				>
					Download JSON
				</a>
				<a
					class="button button-secondary"
					href={`${base}/versions/${version}/export.bpmn`}
					download=""
				>
					Download BPMN
				</a>
				{version > 1 ? (
					<a
						class="button button-secondary"
						href={`${base}/diff?from=${version - 1}&to=${version}`}
					>
						{`Changes since version ${version - 1}`}
					</a>
				) : null}
				<EditFromVersion
					chrome={chrome}
					workflow={{
						key: def.key,
						draft:
							draftRevision === null
								? null
								: { revision: draftRevision, basedOn: null, savedAt: 0, savedBy: null },
					}}
					version={version}
				/>
			</div>
			<section class="card" aria-labelledby="diagram-title">
				<h2 id="diagram-title">Diagram</h2>
				<Diagram view={diagram} id="version-diagram" />
			</section>
			<section class="card" aria-labelledby="nodes-title">
				<h2 id="nodes-title">Nodes</h2>
				<div class="table-scroll" tabindex={0}>
					<table class="table">
						<TableHead columns={["Node", "Task type", "Role", "Flow", "Params"]} />
						<tbody>
							{def.nodes.map((n) => (
								<tr>
									<th scope="row">
										{n.name ?? n.key} <code class="small muted">{n.key}</code>
									</th>
									<td>{n.task}</td>
									<td>{n.role ?? "—"}</td>
									<td>
										{[
											n.start ? "start" : "",
											n.end ? "end" : "",
											n.join && n.join !== "and" ? `${n.join} join` : "",
											n.split && n.split !== "and" ? `${n.split} split` : "",
										]
											.filter(Boolean)
											.join(", ") || "—"}
									</td>
									<td>{n.params ? <code class="json">{JSON.stringify(n.params)}</code> : "—"}</td>
								</tr>
							))}
						</tbody>
					</table>
				</div>
			</section>
			<section class="card" aria-labelledby="transitions-title">
				<h2 id="transitions-title">Transitions</h2>
				<ol class="transition-summary">
					{def.transitions.map((t) => (
						<li>
							<TransitionLabel t={t} failureBadge />
						</li>
					))}
				</ol>
			</section>
			<section class="card" aria-labelledby="json-title">
				<details>
					<summary>
						<h2 id="json-title" class="summary-heading">
							JSON
						</h2>
					</summary>
					<pre class="json">{JSON.stringify(json, null, 2)}</pre>
				</details>
			</section>
		</AdminPage>
	);
}
