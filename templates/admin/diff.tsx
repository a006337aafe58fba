// What changed between two versions of a workflow (or a version and the draft), as lists of
// added, removed and changed nodes and transitions, and changed settings, each field before → after.
import type { DefinitionDiff, FieldChange } from "../../src/admin/version-diff.ts";
import type { NodeDefinition, TransitionDefinition } from "../../src/engine/index.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import { TableHead } from "../components.tsx";
import { AdminPage, trail } from "./admin-page.tsx";

export function DiffPage({
	chrome,
	workflow,
	choices,
	from,
	to,
	diff,
}: {
	chrome: Chrome;
	workflow: { key: string; name: string };
	choices: { value: string; label: string }[];
	from: string;
	to: string;
	diff: DefinitionDiff;
}) {
	const base = `/admin/workflows/${encodeURIComponent(workflow.key)}`;
	const label = (v: string) => choices.find((c) => c.value === v)?.label ?? v;
	const title = `${label(from)} → ${label(to)}`;
	return (
		<AdminPage
			chrome={chrome}
			title={`Changes: ${title}`}
			section="workflows"
			crumbs={trail("workflows", { href: base, label: workflow.name })}
		>
			<div class="page-head">
				<h1>{`What changed in ${workflow.name}`}</h1>
				<p class="page-lead muted">{`From ${label(from).toLowerCase()} to ${label(to).toLowerCase()}.`}</p>
			</div>
			<CompareForm action={`${base}/diff`} idPrefix="diff" choices={choices} from={from} to={to} />
			{diff.isEmpty ? (
				<section class="card">
					<p>No differences: the two are the same workflow.</p>
				</section>
			) : (
				<DiffView diff={diff} />
			)}
		</AdminPage>
	);
}

export function DiffView({ diff }: { diff: DefinitionDiff }) {
	const n = diff.nodes;
	const t = diff.transitions;
	return (
		<div class="diff">
			{diff.workflow.length > 0 ? (
				<section class="card" aria-labelledby="diff-workflow">
					<h2 id="diff-workflow">Workflow settings</h2>
					<Changes changes={diff.workflow} />
				</section>
			) : null}
			{n.added.length + n.removed.length + n.changed.length > 0 ? (
				<section class="card" aria-labelledby="diff-nodes">
					<h2 id="diff-nodes">Nodes</h2>
					<ul class="diff-list">
						{n.added.map((node) => (
							<li class="diff-added">
								<span class="badge tone-success">added</span> <NodeLabel node={node} />
							</li>
						))}
						{n.removed.map((node) => (
							<li class="diff-removed">
								<span class="badge tone-danger">removed</span> <NodeLabel node={node} />
							</li>
						))}
						{n.changed.map((c) => (
							<li class="diff-changed">
								<span class="badge tone-waiting">changed</span> <strong>{c.name}</strong>{" "}
								<code class="small muted">{c.key}</code>
								<Changes changes={c.changes} />
							</li>
						))}
					</ul>
				</section>
			) : null}
			{t.added.length + t.removed.length + t.changed.length > 0 || t.reordered ? (
				<section class="card" aria-labelledby="diff-transitions">
					<h2 id="diff-transitions">Transitions</h2>
					<ul class="diff-list">
						{t.added.map((tr) => (
							<li class="diff-added">
								<span class="badge tone-success">added</span> <TransitionLabel t={tr} />
							</li>
						))}
						{t.removed.map((tr) => (
							<li class="diff-removed">
								<span class="badge tone-danger">removed</span> <TransitionLabel t={tr} />
							</li>
						))}
						{t.changed.map((c) => (
							<li class="diff-changed">
								<span class="badge tone-waiting">changed</span> <code>{c.from}</code> →{" "}
								<code>{c.to}</code>
								<Changes changes={c.changes} />
							</li>
						))}
						{t.reordered ? (
							<li class="diff-changed">
								<span class="badge tone-waiting">reordered</span> The order of the transitions
								changed (an XOR split takes the first that holds).
							</li>
						) : null}
					</ul>
				</section>
			) : null}
		</div>
	);
}

function NodeLabel({ node }: { node: NodeDefinition }) {
	return (
		<>
			<strong>{node.name ?? node.key}</strong> <code class="small muted">{node.key}</code>
			<span class="muted">{` · ${node.task}${node.role ? ` · role ${node.role}` : ""}`}</span>
		</>
	);
}

/** A transition as one line: parent → child, its condition, and whether it is a failure route. */
export function TransitionLabel({
	t,
	failureBadge,
}: {
	t: TransitionDefinition;
	/** Mark a failure route with a badge instead of words. */
	failureBadge?: boolean;
}) {
	const failure = failureBadge ? (
		<span class="badge tone-danger">on failure</span>
	) : (
		" (on failure)"
	);
	return (
		<>
			<code>{t.from}</code> → <code>{t.to}</code>
			{t.condition !== undefined ? (
				<>
					{" when "}
					<code>{String(t.condition)}</code>
				</>
			) : null}
			{t.on === "failure" ? failure : ""}
		</>
	);
}

function Changes({ changes }: { changes: FieldChange[] }) {
	return (
		<table class="table diff-fields">
			<TableHead columns={["Field", "Before", "After"]} />
			<tbody>
				{changes.map((c) => (
					<tr>
						<th scope="row">
							<code>{c.field}</code>
						</th>
						<td class="diff-before">
							{c.before === undefined ? (
								<span class="muted">(not set)</span>
							) : (
								<code>{c.before}</code>
							)}
						</td>
						<td class="diff-after">
							{c.after === undefined ? (
								<span class="muted">(not set)</span>
							) : (
								<code>{c.after}</code>
							)}
						</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

/** The form that picks two versions (or the draft) of a workflow to compare: a GET to its diff. */
export function CompareForm({
	action,
	idPrefix,
	choices,
	from,
	to,
}: {
	action: string;
	idPrefix: string;
	choices: { value: string; label: string }[];
	from: string;
	to: string;
}) {
	const picker = (name: "from" | "to", label: string, selected: string) => (
		<div class="field">
			<label for={`${idPrefix}-${name}`}>{label}</label>
			<select id={`${idPrefix}-${name}`} name={name}>
				{choices.map((c) => (
					<option value={c.value} selected={c.value === selected}>
						{c.label}
					</option>
				))}
			</select>
		</div>
	);
	return (
		<form method="get" action={action} class="compare-form" aria-label="Compare versions">
			{picker("from", "Compare", from)}
			{picker("to", "with", to)}
			<button type="submit" class="button-secondary">
				Show the changes
			</button>
		</form>
	);
}
