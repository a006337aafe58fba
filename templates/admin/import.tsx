// Import a workflow from a file (JSON or BPMN 2.0): the upload form, and what stopped an import,
// each problem with its BPMN element, id and line.
import type { BpmnProblem } from "../../src/bpmn/import.ts";
import type { Chrome } from "../../src/http/view-models/page-context.ts";
import {
	CheckboxField,
	CsrfField,
	FormActions,
	SelectField,
	TableHead,
	TextAreaField,
	TextField,
} from "../components.tsx";
import { AdminPage, trail } from "./admin-page.tsx";

export interface ImportFormValues {
	format: "auto" | "json" | "bpmn";
	key: string;
	name: string;
	text: string;
	replace: boolean;
}

export function ImportPage({
	chrome,
	values,
	problems = [],
	warnings = [],
	imported,
}: {
	chrome: Chrome;
	values: ImportFormValues;
	problems?: BpmnProblem[];
	warnings?: BpmnProblem[];
	imported?: { key: string; name: string; editor: string };
}) {
	const errors = problems.filter((p) => p.severity === "error");
	return (
		<AdminPage
			chrome={chrome}
			title="Import a workflow"
			section="workflows"
			crumbs={trail("workflows")}
			lead="A JSON file in Baton's format, or a BPMN 2.0 diagram (Camunda Modeler, bpmn.io). It becomes the workflow's draft: check it in the editor, then publish it."
		>
			{imported ? (
				<div class="alert alert-success" role="status">
					<p>
						{`Imported "${imported.name}" as the draft of `}
						<code>{imported.key}</code>.{" "}
						<a href={imported.editor} autofocus>
							Open it in the editor
						</a>
					</p>
				</div>
			) : null}
			{errors.length > 0 ? (
				<div
					class="error-summary"
					id="import-problems"
					role="alert"
					tabindex={-1}
					autofocus
					data-focus=""
				>
					<h2 class="error-summary-title">{`Nothing was imported: ${errors.length} problem${errors.length === 1 ? "" : "s"}`}</h2>
					<ProblemTable problems={problems} />
				</div>
			) : null}
			{warnings.length > 0 ? (
				<section class="card" aria-labelledby="warnings-title">
					<h2 id="warnings-title">{`Warnings (${warnings.length})`}</h2>
					<ProblemTable problems={warnings} />
				</section>
			) : null}
			<section class="card" aria-labelledby="form-title">
				<h2 id="form-title">File</h2>
				<form method="post" action="/admin/import" enctype="multipart/form-data" class="form">
					<CsrfField token={chrome.csrfToken} />
					<div class="field">
						<label for="import-file">File (.json, .bpmn)</label>
						<input
							id="import-file"
							name="file"
							type="file"
							accept=".json,.bpmn,.xml,application/json,application/xml,text/xml"
						/>
					</div>
					<TextAreaField
						id="import-text"
						name="text"
						label="…or paste its content"
						value={values.text}
						rows={6}
						code
					/>
					<SelectField
						id="import-format"
						name="format"
						label="Format"
						value={values.format}
						choices={[
							{ value: "auto", label: "Tell from the file" },
							{ value: "json", label: "Baton JSON" },
							{ value: "bpmn", label: "BPMN 2.0 XML" },
						]}
					/>
					<div class="field-row">
						<TextField
							id="import-key"
							name="key"
							label="Key"
							value={values.key}
							maxlength={64}
							help="Optional: the workflow key to import as (else the file's)."
						/>
						<TextField
							id="import-name"
							name="name"
							label="Name"
							value={values.name}
							maxlength={100}
							help="Optional: else the file's."
						/>
					</div>
					<CheckboxField
						id="import-replace"
						name="replace"
						label="Replace its draft when the workflow already has one"
						checked={values.replace}
					/>
					<FormActions label="Import" />
				</form>
			</section>
			<section class="card" aria-labelledby="bpmn-title">
				<h2 id="bpmn-title">What Baton reads from BPMN</h2>
				<p>
					Start and end events, tasks (user and manual tasks ask a person; lanes and candidate
					groups become roles), exclusive, parallel and inclusive gateways, sequence flows with FEEL
					conditions (<code>= …</code>) and default flows, timer catch events and call activities.
					Anything else is listed above with its line, and nothing is imported until it is removed.
				</p>
			</section>
		</AdminPage>
	);
}

function ProblemTable({ problems }: { problems: BpmnProblem[] }) {
	return (
		<div class="table-scroll" tabindex={0}>
			<table class="table problem-table">
				<TableHead columns={["Problem", "Element", "Id", { label: "Line", num: true }]} />
				<tbody>
					{problems.map((p) => (
						<tr>
							<td>{p.message}</td>
							<td>{p.element ? <code>{p.element}</code> : "—"}</td>
							<td>{p.id ? <code>{p.id}</code> : "—"}</td>
							<td class="num">{p.line ?? "—"}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}
