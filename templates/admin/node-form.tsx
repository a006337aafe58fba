// One node of the editor: a disclosure with its summary line, its problems, and the form with the
// params fields generated from its task type's schema (swapped when the task type changes).
import type { Child } from "hono/jsx";
import type { EditorView, NodeFormView, ParamFieldView } from "../../src/admin/editor-view.ts";
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
	view: Pick<EditorView, "key" | "revision" | "taskTypes" | "roleChoices">;
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
								"hx-include": `#${id}-params`,
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
					<TextAreaField {...bind("description")} label="Description" rows={2} />
					<ParamsFields form={{ ...form, editable: v.editable }} />
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
		</div>
	);
}

/** The params of a node: one field per property of its task type's schema, then any others as JSON. */
export function ParamsFields({
	form,
}: {
	form: Pick<NodeFormView, "anchor" | "paramsType" | "paramFields" | "extraParams" | "errors"> & {
		editable: string;
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
			{form.paramFields.map((f) => (
				<ParamField id={`${id}-param-${f.name}`} field={f} />
			))}
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
