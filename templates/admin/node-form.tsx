// One node of the editor: a disclosure with its summary line, its problems, and the form with the
// params fields generated from its task type's schema (swapped when the task type changes).
import type { Child } from "hono/jsx";
import { cellName, QUESTION_TYPES, type QuestionRow } from "../../src/admin/ask-questions.ts";
import type {
	EditorView,
	InnerNodeView,
	NodeFormView,
	ParamFieldView,
} from "../../src/admin/editor-view.ts";
import {
	CheckboxField,
	FormActions,
	fieldBinder,
	SelectField,
	TextAreaField,
	TextField,
} from "../components.tsx";
import { PostForm } from "./admin-page.tsx";
import { InlineProblems } from "./problems.tsx";

const draftUrl = (key: string, rest = "") =>
	`/admin/workflows/${encodeURIComponent(key)}/draft${rest}`;

export function NodeForm({
	view,
	form,
	csrf,
	open,
	note,
}: {
	view: Pick<EditorView, "key" | "revision" | "taskTypes" | "roleChoices" | "nodeChoices">;
	form: NodeFormView;
	csrf: string;
	open: boolean;
	/** The status of a change just made to this node. */
	note?: Child;
}) {
	const isNew = form.index === null;
	const id = form.anchor;
	const v = form.values;
	const e = form.errors;
	const bind = fieldBinder(v, e, `${id}-`);
	const action = isNew
		? draftUrl(view.key, "/nodes")
		: draftUrl(view.key, `/nodes/${encodeURIComponent(form.originalKey)}`);
	const errorCount = form.problems.filter((p) => p.severity === "error").length;
	const warningCount = form.problems.length - errorCount;
	const flags = [v.start ? "start" : "", v.end ? "end" : "", v.inline ? "inline" : ""]
		.filter(Boolean)
		.join(", ");
	const hosts = view.nodeChoices.filter((n) => n.value !== form.originalKey);
	return (
		<div class={`node-card${errorCount > 0 ? " has-problem" : ""}`} id={id}>
			<details open={open}>
				<summary>
					{isNew ? (
						<span class="node-title">Add a node</span>
					) : (
						<>
							<span class="node-title">{form.values.name || form.originalKey}</span>
							<span class="node-meta muted small">
								{` ${form.originalKey} · ${v.task}${v.role ? ` · role ${v.role}` : ""}${flags ? ` · ${flags}` : ""}`}
							</span>
							{errorCount > 0 ? (
								<span class="badge tone-danger">{`${errorCount} error${errorCount === 1 ? "" : "s"}`}</span>
							) : warningCount > 0 ? (
								<span class="badge tone-waiting">{`${warningCount} warning${warningCount === 1 ? "" : "s"}`}</span>
							) : null}
							{form.facts.length > 0 ? (
								<span class="node-facts small">{form.facts.join(" · ")}</span>
							) : null}
						</>
					)}
				</summary>
				{note}
				<InlineProblems problems={form.problems} id={`${id}-problems`} />
				<PostForm
					action={action}
					csrfToken={csrf}
					target="#editor"
					class="form node-form"
					label={isNew ? "Add a node" : `Node ${form.originalKey}`}
				>
					<input type="hidden" name="revision" value={String(view.revision)} />
					<div class="field-row">
						<TextField
							{...bind("key")}
							label="Key"
							required
							maxlength={64}
							help="Letters, digits, _ . - ; renaming keeps the transitions."
						/>
						<TextField {...bind("name")} label="Name" maxlength={100} />
					</div>
					<div class="field-row">
						<SelectField
							{...bind("task")}
							label="Task type"
							choices={view.taskTypes}
							attrs={{
								"hx-get": draftUrl(view.key, "/params-fields"),
								"hx-trigger": "change",
								"hx-target": `#${id}-params`,
								"hx-swap": "outerHTML",
								// Not the inner graph: it can be long for a query string, and the
								// fields of another type have no use for it (the route reads it back).
								"hx-include": `#${id}-params [name]:not([name="innerGraph"])`,
							}}
						/>
						<TextField
							{...bind("role")}
							label="Role"
							list={`${id}-roles`}
							help="Who does it: a member of this role is assigned the task."
						/>
						<datalist id={`${id}-roles`}>
							{view.roleChoices.map((r) => (
								<option value={r.value}>{r.label}</option>
							))}
						</datalist>
					</div>
					<fieldset class="node-flags">
						<legend>Flow</legend>
						<div class="field-row">
							<CheckboxField id={`${id}-start`} name="start" label="Start node" checked={v.start} />
							<CheckboxField id={`${id}-end`} name="end" label="End node" checked={v.end} />
							<CheckboxField
								id={`${id}-inline`}
								name="inline"
								label="Run inline (no queue hop; pure tasks only)"
								checked={v.inline}
							/>
						</div>
						<div class="field-row">
							<SelectField
								{...bind("join")}
								label="Join"
								help={
									form.incoming > 1
										? "Several transitions arrive here."
										: "Matters when several transitions arrive."
								}
								choices={[
									{ value: "and", label: "AND: every branch" },
									{ value: "xor", label: "XOR: the first to arrive" },
									{ value: "or", label: "OR: those that can arrive" },
								]}
							/>
							<SelectField
								{...bind("split")}
								label="Split"
								help={
									form.outgoing > 1
										? "Several transitions leave here."
										: "Matters when several transitions leave."
								}
								choices={[
									{ value: "and", label: "AND: all that hold" },
									{ value: "xor", label: "XOR: the first that holds" },
									{ value: "event", label: "Event-based: the first wait to happen wins" },
								]}
							/>
							<TextField
								{...bind("priority")}
								label="Priority"
								type="number"
								min={0}
								max={9}
								help="0–9; empty: the process's."
							/>
						</div>
					</fieldset>
					<fieldset class="node-events">
						<legend>Time and events</legend>
						<div class="field-row">
							<SelectField
								{...bind("attachedTo")}
								label="Boundary event of"
								blank="None: a step of its own"
								choices={hosts}
								help="Listens while a task of that node runs, and takes its own transitions when it fires. Its task type says for what: wait (a timer), message, or error (the node's failure). Nothing leads to it."
							/>
							{/* Sent when the box is unchecked (the box's "true" comes after it and wins). */}
							<input type="hidden" name="interrupting" value="false" />
							<CheckboxField
								id={`${id}-interrupting`}
								name="interrupting"
								label="Interrupts its host"
								checked={v.interrupting}
								help="Checked: when it fires, the task it is attached to is revoked. Unchecked: that task goes on (a reminder). Error boundaries always interrupt."
							/>
						</div>
						<div class="field-row">
							<TextField
								{...bind("due")}
								label="Due"
								maxlength={1000}
								placeholder="P2D"
								help='When a task of this node is due: a duration from its creation ("P2D", "4h") or "= FEEL" giving a date or a duration. Past it the task shows as overdue; a timer boundary at its due date escalates.'
							/>
							<TextField
								{...bind("followUp")}
								label="Follow up"
								maxlength={1000}
								placeholder="P1D"
								help="When to look at a task of this node again, written like Due."
							/>
						</div>
					</fieldset>
					<fieldset class="node-multi">
						<legend>Once per item</legend>
						<TextField
							{...bind("multiItems")}
							label="Run once per item"
							maxlength={1000}
							placeholder="params.reviewers"
							help="FEEL over params and process giving a list: one task of this node per item, and the node goes on once they are done. Empty: it runs once."
						/>
						<div class="field-row">
							<TextField
								{...bind("multiAs")}
								label="Item param name"
								maxlength={64}
								placeholder="item"
								help="The param that holds each task's item (its position is loopIndex)."
							/>
							<TextField
								{...bind("multiCompletion")}
								label="Done when"
								maxlength={1000}
								placeholder="count(results[item.approved = true]) >= 2"
								help="FEEL over completed, total, results, params and process, checked after each task ends: when it holds, the tasks still running are revoked. Empty: when all have ended."
							/>
						</div>
						<CheckboxField
							id={`${id}-multiSequential`}
							name="multiSequential"
							label="One after another"
							checked={v.multiSequential}
							help="Unchecked: all at once."
						/>
					</fieldset>
					<TextAreaField {...bind("description")} label="Description" rows={2} />
					<ParamsFields form={{ ...form, editable: v.editable, innerGraph: v.innerGraph }} />
					<FormActions
						label={isNew ? "Add node" : "Save node"}
						button={isNew ? "button-primary" : "button-primary"}
					/>
				</PostForm>
				{isNew ? null : (
					<PostForm
						action={draftUrl(view.key, `/nodes/${encodeURIComponent(form.originalKey)}/delete`)}
						csrfToken={csrf}
						target="#editor"
						class="inline node-delete"
						confirm={`Delete the node ${form.originalKey} and its transitions?`}
					>
						<input type="hidden" name="revision" value={String(view.revision)} />
						<button type="submit" class="button-small button-danger">
							{`Delete node ${form.originalKey}`}
						</button>
					</PostForm>
				)}
			</details>
			{form.inner.length > 0 ? (
				<InnerNodes
					nodes={form.inner}
					label={`Inner steps of ${form.values.name || form.originalKey}`}
				/>
			) : null}
		</div>
	);
}

/** C1: a scope's inner nodes under it, read-only (they are edited as the scope's JSON). */
function InnerNodes({ nodes, label }: { nodes: InnerNodeView[]; label: string }) {
	return (
		<ul class="inner-nodes" aria-label={label}>
			{nodes.map((n) => (
				<li>
					<span class="node-title">{n.title}</span>
					<span class="node-meta muted small">{` ${n.key} · ${n.task}`}</span>
					{n.facts.length > 0 ? <span class="node-facts small">{n.facts.join(" · ")}</span> : null}
					{n.inner.length > 0 ? (
						<InnerNodes nodes={n.inner} label={`Inner steps of ${n.title}`} />
					) : null}
				</li>
			))}
		</ul>
	);
}

/** The params of a node: one field per property of its task type's schema, then any others as JSON. */
export function ParamsFields({
	form,
}: {
	form: Pick<NodeFormView, "anchor" | "paramsType" | "paramFields" | "extraParams" | "errors"> & {
		editable: string;
		/** C1: shown for a scope only. */
		innerGraph: string;
	};
}) {
	const id = form.anchor;
	const bind = fieldBinder(form, form.errors, `${id}-`);
	return (
		<fieldset class="node-params" id={`${id}-params`}>
			<legend>{`Params (${form.paramsType})`}</legend>
			<input type="hidden" name="params_type" value={form.paramsType} />
			{form.paramFields.length === 0 ? (
				<p class="muted small">This task type takes no params of its own.</p>
			) : (
				<p class="muted small">
					Leave a field empty to have a person of the role fill it in when the task runs.
				</p>
			)}
			{form.paramFields.map((f) =>
				f.kind === "questions" ? (
					<QuestionsEditor id={`${id}-questions`} rows={f.rows ?? []} errors={form.errors} />
				) : (
					<ParamField id={`${id}-param-${f.name}`} field={f} />
				),
			)}
			<TextAreaField
				id={`${id}-params-extra`}
				name="params_extra"
				label="Other params (JSON object)"
				value={form.extraParams}
				error={form.errors.params_extra}
				rows={2}
				code
				help="Any params the task type does not list, e.g. values for the conditions."
			/>
			<TextField
				{...bind("editable")}
				label="Editable by people"
				help="Params set here that a person of the role may still change on the task's form, separated by commas. Others are shown to them read-only."
			/>
			{form.paramsType === "scope" ? (
				<fieldset class="node-inner-graph">
					<legend>Inner steps</legend>
					<TextAreaField
						{...bind("innerGraph")}
						label="Inner nodes and transitions (JSON)"
						rows={10}
						code
						placeholder='{"nodes": [{"key": "pick", "task": "dummy", "start": true, "end": true}], "transitions": []}'
						help='The steps this group runs, in the workflow format: {"nodes": [...], "transitions": [...]}. Inner keys are unique in the whole workflow, transitions join inner nodes only, and the first inner end node to succeed ends the group.'
					/>
				</fieldset>
			) : null}
		</fieldset>
	);
}

function ParamField({ id, field }: { id: string; field: ParamFieldView }) {
	const name = `param.${field.name}`;
	const label = `${field.label}${field.neededToRun ? " (needed to run)" : ""}`;
	const help = field.help;
	const common = {
		id,
		name,
		label,
		value: field.value,
		error: field.error,
		...(help ? { help } : {}),
	};
	switch (field.kind) {
		case "select":
			return (
				<SelectField
					{...common}
					blank={field.placeholder ? `Default: ${field.placeholder}` : "Not set"}
					choices={(field.options ?? []).map((o) => ({ value: o, label: o }))}
				/>
			);
		case "yesno":
			return (
				<SelectField
					{...common}
					blank="Not set"
					choices={[
						{ value: "true", label: "Yes" },
						{ value: "false", label: "No" },
					]}
				/>
			);
		case "json":
			return <TextAreaField {...common} rows={4} code help={help ? `${help} (JSON)` : "JSON"} />;
		case "longtext":
			return <TextAreaField {...common} rows={3} />;
		case "number":
		case "integer":
			return (
				<TextField
					{...common}
					type="number"
					{...(field.min === undefined ? {} : { min: field.min })}
					{...(field.max === undefined ? {} : { max: field.max })}
					{...(field.placeholder ? { placeholder: field.placeholder } : {})}
					attrs={{
						step: field.kind === "integer" ? "1" : "any",
						inputmode: field.kind === "integer" ? "numeric" : "decimal",
					}}
				/>
			);
		default:
			return (
				<TextField
					{...common}
					{...(field.placeholder ? { placeholder: field.placeholder } : {})}
					{...(field.max === undefined ? {} : { maxlength: field.max })}
				/>
			);
	}
}

/**
 * An ask node's questions as rows: each question's name, label and type on one line, the rest
 * (required, options, help, bounds, currency, the field it depends on) under it. Blank rows add
 * questions; clearing a name removes one. Works without JS: save to get more blank rows.
 */
function QuestionsEditor({
	id,
	rows,
	errors,
}: {
	id: string;
	rows: QuestionRow[];
	errors: Record<string, string>;
}) {
	return (
		<fieldset class="questions-editor" id={id}>
			<legend>Questions</legend>
			<p class="muted small">
				One question per row, in the order people see them. Clear a name to remove its question;
				fill in a blank row to add one (save for more blank rows).
			</p>
			<input type="hidden" name="param.questions.count" value={String(rows.length)} />
			{rows.map((row, i) => {
				const cell = (c: keyof QuestionRow) => ({
					id: `${id}-${i}-${c}`,
					name: cellName(i, c),
					error: errors[cellName(i, c)],
				});
				const isNew = row.name === "";
				return (
					<fieldset class="question-row">
						<legend>{isNew ? `New question ${i + 1}` : `Question ${i + 1}: ${row.name}`}</legend>
						<div class="question-cells">
							<TextField {...cell("name")} label="Name" value={row.name} maxlength={64} />
							<TextField {...cell("label")} label="Label" value={row.label} maxlength={200} />
							<SelectField
								{...cell("type")}
								label="Type"
								value={row.type}
								choices={QUESTION_TYPES.map((t) => ({
									value: t,
									label: QUESTION_TYPE_LABELS[t] ?? t,
								}))}
							/>
						</div>
						<details class="question-more" open={!isNew && hasMore(row)}>
							<summary>More about this question</summary>
							<CheckboxField
								id={`${id}-${i}-required`}
								name={cellName(i, "required")}
								label="Required"
								checked={row.required}
							/>
							<TextField
								{...cell("options")}
								label="Options (for a list or several choices)"
								value={row.options}
								help="Separated by commas."
							/>
							<TextField {...cell("help")} label="Help text" value={row.help} maxlength={1000} />
							<div class="question-cells">
								<TextField {...cell("min")} label="Minimum" value={row.min} type="number" />
								<TextField {...cell("max")} label="Maximum" value={row.max} type="number" />
								<TextField
									{...cell("currency")}
									label="Currency (money)"
									value={row.currency}
									maxlength={3}
									placeholder="EUR"
								/>
							</div>
							<div class="question-cells">
								<TextField
									{...cell("showIf")}
									label="Shown only when this question has a value"
									value={row.showIf}
									help="The name of another question; empty: always shown."
								/>
								<TextField
									{...cell("showIfEquals")}
									label="…and only when it is"
									value={row.showIfEquals}
									help="Empty: any value."
								/>
							</div>
						</details>
					</fieldset>
				);
			})}
		</fieldset>
	);
}

function hasMore(row: QuestionRow): boolean {
	return (
		row.required ||
		row.options !== "" ||
		row.help !== "" ||
		row.min !== "" ||
		row.max !== "" ||
		row.currency !== "" ||
		row.showIf !== ""
	);
}

const QUESTION_TYPE_LABELS: Record<string, string> = {
	text: "Text",
	longtext: "Long text",
	number: "Number",
	integer: "Whole number",
	date: "Date",
	datetime: "Date and time",
	select: "One of a list",
	multiselect: "Several of a list",
	checkbox: "Yes / no",
	email: "Email address",
	url: "Web address",
	money: "Amount of money",
	file: "File",
	json: "JSON",
};
