// The workflow editor: a draft's settings, nodes and transitions as forms, its validation report
// (every problem, linked to where it is) and a diagram preview. The whole editor is one swap
// target, so after each change htmx redraws the report and the diagram with the forms.

import type { Child } from "hono/jsx";
import type {
	EditorView,
	NodeFormView,
	SettingsFormView,
	TransitionFormView,
} from "../../src/admin/editor-view.ts";
import type { DiagramView } from "../../src/diagram/view.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import {
	At,
	ErrorSummary,
	FormActions,
	fieldBinder,
	SelectField,
	TextAreaField,
	TextField,
} from "../components.tsx";
import { Diagram } from "../diagram.tsx";
import { AdminPage, PostForm, trail } from "./admin-page.tsx";
import { NodeForm } from "./node-form.tsx";
import { InlineProblems, ProblemList } from "./problems.tsx";

export interface EditorPageProps {
	chrome: Chrome;
	view: EditorView;
	diagram: DiagramView | null;
	/** Messages about the last action (a refused publication, a form to correct). */
	formErrors?: { href?: string; message: string }[];
	notice?: string | undefined;
	/** The section to open and scroll to after a change (its anchor). */
	focus?: string | undefined;
	/** What the last change did, said in the section it changed (htmx answers). */
	status?: string | undefined;
}

export function EditorPage(props: EditorPageProps) {
	const { view } = props;
	return (
		<AdminPage
			chrome={props.chrome}
			title={`Edit ${view.name}`}
			section="workflows"
			crumbs={trail("workflows", { href: base(view.key), label: view.name })}
			notice={props.notice}
		>
			<Editor {...props} />
		</AdminPage>
	);
}

const base = (key: string) => `/admin/workflows/${encodeURIComponent(key)}`;
const draftUrl = (key: string, rest = "") => `${base(key)}/draft${rest}`;

/** The swap target of every editor form. */
export function Editor({ chrome, view, diagram, formErrors = [], focus, status }: EditorPageProps) {
	const csrf = chrome.csrfToken;
	/** The status of the last change, in the section it changed; focused, so it is read out. */
	const note = (anchor: string) =>
		status && focus === anchor ? (
			<p class="alert alert-success editor-status" role="status" tabindex={-1} autofocus>
				{status}
			</p>
		) : null;
	const problemCount = view.errors.length;
	return (
		<div id="editor" class="editor">
			<div class="page-head">
				<div class="page-head-row">
					<h1>
						{view.name} <span class="badge tone-waiting">Draft</span>
					</h1>
				</div>
				<p class="page-lead muted">
					{`Key ${view.key} · `}
					{view.basedOn === null
						? view.latestVersion === null
							? "never published"
							: `a new draft (version ${view.latestVersion} is the latest)`
						: `started from version ${view.basedOn}`}
					{" · saved "}
					<At at={view.savedAt} />
					{view.savedBy ? ` by ${view.savedBy}` : ""}
				</p>
			</div>
			<ErrorSummary errors={formErrors} />
			<div class="editor-actions actions">
				<PostForm
					action={draftUrl(view.key, "/publish")}
					csrfToken={csrf}
					target="#editor"
					class="inline"
				>
					<input type="hidden" name="revision" value={String(view.revision)} />
					<button type="submit" class="button-primary" aria-describedby="publish-hint">
						{`Publish as version ${(view.latestVersion ?? 0) + 1}`}
					</button>
				</PostForm>
				<span id="publish-hint" class="muted small">
					{view.isValid
						? "Ready: the draft is valid."
						: `${problemCount} problem${problemCount === 1 ? "" : "s"} to fix before it can be published.`}
				</span>
				<a class="button button-secondary" href={draftUrl(view.key, "/export.json")} download="">
					Download JSON
				</a>
				<a class="button button-secondary" href={draftUrl(view.key, "/export.bpmn")} download="">
					Download BPMN
				</a>
				<a class="button button-secondary" href={base(view.key)}>
					Versions
				</a>
				<PostForm
					action={draftUrl(view.key, "/discard")}
					csrfToken={csrf}
					class="inline"
					confirm="Throw this draft away? Its changes are lost."
				>
					<input type="hidden" name="revision" value={String(view.revision)} />
					<button type="submit" class="button-danger">
						Discard draft
					</button>
				</PostForm>
			</div>

			<div class="editor-layout">
				<div class="editor-side">
					<Report view={view} note={note("report")} />
					<section class="card" aria-labelledby="preview-title" id="preview">
						<h2 id="preview-title">Preview</h2>
						{diagram ? (
							<Diagram view={diagram} id="draft-diagram" />
						) : (
							<p class="muted">Add a node to see the diagram.</p>
						)}
					</section>
				</div>
				<div class="editor-main">
					<Settings
						view={view}
						settings={view.settings}
						csrf={csrf}
						focus={focus}
						note={note("settings")}
					/>
					<section class="card" id="nodes" aria-labelledby="nodes-title">
						<h2 id="nodes-title">{`Nodes (${view.nodes.length})`}</h2>
						{note("nodes")}
						<p class="muted small">
							A node is one step: who (a role) does what (a task type) with which params. Open a
							node to change it.
						</p>
						<InlineProblems problems={view.nodesProblems} id="nodes-problems" />
						<ol class="node-list">
							{view.nodes.map((node) => (
								<li>
									<NodeForm
										view={view}
										form={node}
										csrf={csrf}
										open={isOpen(node, focus)}
										note={note(node.anchor)}
									/>
								</li>
							))}
						</ol>
						<NodeForm
							view={view}
							form={view.newNode}
							csrf={csrf}
							open={isOpen(view.newNode, focus)}
						/>
					</section>
					<Transitions view={view} csrf={csrf} focus={focus} note={note} />
					<JsonPanel view={view} csrf={csrf} />
				</div>
			</div>
		</div>
	);
}

function isOpen(form: NodeFormView, focus: string | undefined): boolean {
	return (
		form.anchor === focus ||
		Object.keys(form.errors).length > 0 ||
		form.problems.some((p) => p.severity === "error")
	);
}

/** The validation report (D2): every error and warning, each linking to its place. */
export function Report({
	view,
	note,
}: {
	view: Pick<EditorView, "isValid" | "errors" | "warnings">;
	note?: Child;
}) {
	return (
		<section class="card report" id="report" aria-labelledby="report-title" aria-live="polite">
			<h2 id="report-title">Validation</h2>
			{note}
			{view.isValid ? (
				<p class="report-ok">
					<span class="badge tone-success">Valid</span> The draft can be published.
				</p>
			) : (
				<p>
					<span class="badge tone-danger">{`${view.errors.length} error${view.errors.length === 1 ? "" : "s"}`}</span>{" "}
					Fix them to publish.
				</p>
			)}
			<ProblemList problems={view.errors} />
			{view.warnings.length > 0 ? (
				<>
					<h3 class="h-small">{`Warnings (${view.warnings.length})`}</h3>
					<ProblemList problems={view.warnings} />
				</>
			) : null}
		</section>
	);
}

function Settings({
	view,
	settings,
	csrf,
	focus,
	note,
}: {
	view: EditorView;
	settings: SettingsFormView;
	csrf: string;
	focus: string | undefined;
	note: Child;
}) {
	const v = settings.values;
	const e = settings.errors;
	const bind = fieldBinder(v, e, "settings-");
	const open = focus === "settings" || Object.keys(e).length > 0 || settings.problems.length > 0;
	return (
		<section class="card" id="settings" aria-labelledby="settings-title">
			{note}
			<details open={open}>
				<summary>
					<h2 id="settings-title" class="summary-heading">
						Workflow settings
					</h2>
					<span class="muted small">name, params, start form, schedules, roles, priority</span>
				</summary>
				<InlineProblems problems={settings.problems} id="settings-problems" />
				<PostForm
					action={draftUrl(view.key, "/settings")}
					csrfToken={csrf}
					target="#editor"
					class="form"
				>
					<input type="hidden" name="revision" value={String(view.revision)} />
					<TextField {...bind("name")} label="Name" required maxlength={100} />
					<TextAreaField {...bind("description")} label="Description" rows={2} />
					<TextAreaField
						{...bind("params")}
						label="Default params (JSON object)"
						code
						rows={4}
						help='The lowest level of the merge: workflow < node < process < task < values a person submits. E.g. {"region": "EU"}.'
					/>
					<TextAreaField
						{...bind("startForm")}
						label="Start form (JSON object)"
						code
						rows={4}
						help='The only params a starter may give (page, API, webhook, parent process); anything else is refused. Fields are typed like ask questions, e.g. {"loops": {"label": "Loops", "type": "integer", "min": 0, "default": 2}}.'
					/>
					<TextAreaField
						{...bind("schedules")}
						label="Scheduled starts (JSON list)"
						code
						rows={4}
						help='When processes of this workflow start by themselves, each with its params (checked against the start form). A five-field cron read in a time zone, or one date: [{"cron": "0 9 * * 1-5", "timezone": "Europe/Madrid", "name": "Weekday mornings"}, {"at": "2030-01-31T09:00:00Z"}].'
					/>
					<TextAreaField
						{...bind("roles")}
						label="Roles"
						rows={3}
						help={
							'One per line: "key" or "key: Name". When any are listed, nodes may name only these.'
						}
					/>
					<div class="field-row">
						<TextField
							{...bind("priority")}
							label="Priority"
							type="number"
							min={0}
							max={9}
							help="0 (highest) to 9 (lowest); empty: 9."
						/>
						<TextField
							id="settings-budget"
							name="stepBudget"
							label="Step budget"
							type="number"
							min={1}
							value={v.stepBudget}
							error={e.stepBudget}
							help="Most tasks one process may create; empty: 10,000."
						/>
					</div>
					<FormActions label="Save settings" />
				</PostForm>
			</details>
		</section>
	);
}

function Transitions({
	view,
	csrf,
	focus,
	note,
}: {
	view: EditorView;
	csrf: string;
	focus: string | undefined;
	/** The status note for a section, when it is the one just changed. */
	note: (anchor: string) => Child;
}) {
	return (
		<section class="card" id="transitions" aria-labelledby="transitions-title">
			<h2 id="transitions-title">{`Transitions (${view.transitions.length})`}</h2>
			{note("transitions")}
			<p class="muted small">
				Order matters: an XOR split takes the first transition whose condition holds. A condition is
				empty (always), a literal the result equals (<code>yes</code>, <code>4</code>) or a FEEL
				expression (<code>= result.total &gt; 1000</code>).
			</p>
			<InlineProblems problems={view.transitionsProblems} id="transitions-problems" />
			{view.nodeChoices.length === 0 ? (
				<p class="muted">Add nodes first.</p>
			) : (
				<>
					<ol class="transition-list">
						{view.transitions.map((t) => (
							<li>
								<TransitionForm
									view={view}
									form={t}
									csrf={csrf}
									focus={focus}
									note={note(t.anchor)}
								/>
							</li>
						))}
					</ol>
					<TransitionForm view={view} form={view.newTransition} csrf={csrf} focus={focus} />
				</>
			)}
		</section>
	);
}

function TransitionForm({
	view,
	form,
	csrf,
	focus,
	note,
}: {
	view: EditorView;
	form: TransitionFormView;
	csrf: string;
	focus: string | undefined;
	note?: Child;
}) {
	const isNew = form.index === null;
	const id = form.anchor;
	const number = form.index === null ? 0 : form.index + 1;
	const action = isNew
		? draftUrl(view.key, "/transitions")
		: draftUrl(view.key, `/transitions/${form.index}`);
	const v = form.values;
	const e = form.errors;
	const bind = fieldBinder(v, e, `${id}-`);
	const hasError = form.problems.some((p) => p.severity === "error") || Object.keys(e).length > 0;
	const nameOf = (key: string) => view.nodeNames[key] ?? key;
	const body = (
		<>
			<InlineProblems problems={form.problems} id={`${id}-problems`} />
			<PostForm
				action={action}
				csrfToken={csrf}
				target="#editor"
				class="form transition-form"
				label={isNew ? "Add a transition" : `Transition ${number}`}
			>
				<input type="hidden" name="revision" value={String(view.revision)} />
				<SelectField {...bind("from")} label="From" choices={view.nodeChoices} blank="Choose…" />
				<SelectField {...bind("to")} label="To" choices={view.nodeChoices} blank="Choose…" />
				<TextField {...bind("condition")} label="Condition" placeholder="always" maxlength={1000} />
				<SelectField
					{...bind("on")}
					label="Taken on"
					choices={[
						{ value: "success", label: "success" },
						{ value: "failure", label: "failure (a failure route)" },
					]}
				/>
				<FormActions
					label={isNew ? "Add transition" : "Save"}
					button={isNew ? "button-primary" : "button-secondary"}
				/>
			</PostForm>
		</>
	);
	const open = focus === id || hasError;
	const when = v.condition === "" ? "always" : `when ${v.condition}`;
	return (
		<div
			class={`transition${hasError ? " has-problem" : ""}${focus === id ? " is-focus" : ""}`}
			id={id}
		>
			{isNew ? (
				<div class="transition-new">
					<h3 class="h-small">Add a transition</h3>
					{body}
				</div>
			) : (
				<details open={open}>
					<summary>
						<span class="summary-text">
							<span class="node-title">{`${number}. ${nameOf(v.from)} → ${nameOf(v.to)}`}</span>
							<span class="node-meta muted small">{` ${when}${v.on === "failure" ? " · on failure" : ""}`}</span>
							{form.problems.length > 0 ? (
								<span class={`badge ${hasError ? "tone-danger" : "tone-waiting"}`}>
									{`${form.problems.length} problem${form.problems.length === 1 ? "" : "s"}`}
								</span>
							) : null}
						</span>
					</summary>
					{note}
					{body}
				</details>
			)}
			{isNew ? null : (
				<div class="transition-tools actions">
					<MoveButton view={view} csrf={csrf} form={form} number={number} by={-1} />
					<MoveButton view={view} csrf={csrf} form={form} number={number} by={1} />
					<PostForm
						action={draftUrl(view.key, `/transitions/${form.index}/delete`)}
						csrfToken={csrf}
						target="#editor"
						class="inline"
						confirm={`Delete transition ${number}?`}
					>
						<input type="hidden" name="revision" value={String(view.revision)} />
						<button
							type="submit"
							class="button-small button-danger"
							aria-label={`Delete transition ${number}`}
						>
							Delete
						</button>
					</PostForm>
				</div>
			)}
		</div>
	);
}

function JsonPanel({ view, csrf }: { view: EditorView; csrf: string }) {
	const check = draftUrl(view.key, "/check");
	return (
		<section class="card" id="json" aria-labelledby="json-title">
			<details>
				<summary>
					<h2 id="json-title" class="summary-heading">
						Edit as JSON
					</h2>
					<span class="muted small">the whole draft in the file format, checked as you type</span>
				</summary>
				<PostForm
					action={draftUrl(view.key, "/json")}
					csrfToken={csrf}
					target="#editor"
					class="form"
				>
					<input type="hidden" name="revision" value={String(view.revision)} />
					<TextAreaField
						id="json-text"
						name="json"
						label="Definition (JSON)"
						value={view.json}
						rows={18}
						code
						help="The format of docs/defining-workflows.md. The key stays the workflow's."
						attrs={{
							"hx-post": check,
							"hx-trigger": "input changed delay:600ms",
							"hx-target": "#json-report",
							"hx-swap": "outerHTML",
							"aria-controls": "json-report",
						}}
					/>
					<JsonReport />
					<FormActions label="Replace the draft with this JSON" />
				</PostForm>
			</details>
		</section>
	);
}

/** What is wrong with the JSON being typed (not saved yet). */
export function JsonReport({
	report,
	parseError,
}: {
	report?: Pick<EditorView, "isValid" | "errors" | "warnings">;
	parseError?: string;
}) {
	return (
		<div id="json-report" class="json-report" aria-live="polite">
			{parseError ? (
				<p class="field-error">{`Not valid JSON: ${parseError}`}</p>
			) : report ? (
				report.isValid ? (
					<p class="muted small">
						<span class="badge tone-success">Valid</span>{" "}
						{report.warnings.length > 0 ? `${report.warnings.length} warning(s).` : "No problems."}
					</p>
				) : (
					<ul class="problem-list">
						{report.errors.map((p) => (
							<li class="problem problem-error">
								<code>{p.path || "(whole definition)"}</code> {p.message}
							</li>
						))}
					</ul>
				)
			) : null}
		</div>
	);
}

/** Moves a transition one place up (`by` -1) or down (1) in the list, redrawing the editor. */
function MoveButton({
	view,
	csrf,
	form,
	number,
	by,
}: {
	view: EditorView;
	csrf: string;
	form: TransitionFormView;
	/** The transition's number as the list shows it. */
	number: number;
	by: -1 | 1;
}) {
	const isUp = by < 0;
	return (
		<PostForm
			action={draftUrl(view.key, `/transitions/${form.index}/move`)}
			csrfToken={csrf}
			target="#editor"
			class="inline"
		>
			<input type="hidden" name="revision" value={String(view.revision)} />
			<input type="hidden" name="by" value={String(by)} />
			<button
				type="submit"
				class="button-small button-secondary"
				disabled={isUp ? !form.canMoveUp : !form.canMoveDown}
				aria-label={`Move transition ${number} ${isUp ? "up" : "down"}`}
			>
				{isUp ? "↑ Up" : "↓ Down"}
			</button>
		</PostForm>
	);
}
