// Importing a workflow from a file: Baton's JSON format, or BPMN 2.0 XML from a modeler. The file
// becomes the workflow's draft (a new workflow, or the next draft of an existing one); it is checked
// and published from the editor like any draft. What BPMN Baton cannot execute is listed by element
// and line, and nothing is imported.
import { Hono } from "hono";
import { type ImportFormValues, ImportPage } from "../../../../templates/admin/import.tsx";
import { KEY_PATTERN } from "../../../admin/draft-forms.ts";
import { type BpmnProblem, importBpmn } from "../../../bpmn/import.ts";
import { createDraftWorkflow, findWorkflow, saveDraft } from "../../../db/workflows.ts";
import type { WorkflowDefinition } from "../../../engine/index.ts";
import type { AppEnv } from "../../context.ts";
import { chromeOf, redirect, withNotice } from "../../view-models/page-context.ts";
import { asEditableDefinition, readDefinitionText } from "./editor.tsx";
import { type AdminContext, adminName } from "./guard.ts";
import { workflowPath } from "./workflow-files.ts";

export const importRoutes = new Hono<AppEnv>();

const EMPTY: ImportFormValues = { format: "auto", key: "", name: "", text: "", replace: false };

importRoutes.get("/import", (c) => c.html(<ImportPage chrome={chromeOf(c)} values={EMPTY} />));

importRoutes.post("/import", async (c) => {
	const body = await c.req.parseBody();
	const str = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
	const file = body.file instanceof File && body.file.size > 0 ? body.file : undefined;
	const values: ImportFormValues = {
		format: (["auto", "json", "bpmn"].includes(str("format"))
			? str("format")
			: "auto") as ImportFormValues["format"],
		key: str("key").trim(),
		name: str("name").trim(),
		text: file ? "" : str("text"),
		replace: str("replace") === "true",
	};
	const source = file ? await file.text() : values.text;
	const fail = (problems: BpmnProblem[], status: 409 | 422 = 422) =>
		c.html(<ImportPage chrome={chromeOf(c)} values={values} problems={problems} />, status);
	if (source.trim() === "") {
		return fail([
			{ code: "EMPTY", message: "Choose a file, or paste its content.", severity: "error" },
		]);
	}
	if (values.key !== "" && !KEY_PATTERN.test(values.key)) {
		return fail([
			{
				code: "INVALID_KEY",
				message: "A key is a letter, then letters, digits, _ . - (64 at most).",
				severity: "error",
			},
		]);
	}
	const format = values.format === "auto" ? detectFormat(source, file?.name) : values.format;
	const read = await readSource(format, source, values);
	if (!read.ok) return fail(read.problems);
	const definition = read.definition;
	if (!KEY_PATTERN.test(definition.key ?? "")) {
		return fail([
			{
				code: "INVALID_KEY",
				message: "The file names no usable key: give one in the Key field.",
				severity: "error",
			},
		]);
	}
	const saved = await saveImported(c, definition, values.replace);
	if (!saved.ok)
		return fail([{ code: "DRAFT_EXISTS", message: saved.message, severity: "error" }], 409);
	const editor = `${workflowPath(definition.key)}/draft`;
	if (read.warnings.length === 0) return redirect(c, withNotice(editor, "imported"));
	return c.html(
		<ImportPage
			chrome={chromeOf(c)}
			values={EMPTY}
			warnings={read.warnings}
			imported={{ key: definition.key, name: definition.name, editor }}
		/>,
	);
});

function detectFormat(source: string, filename: string | undefined): "json" | "bpmn" {
	if (filename && /\.(bpmn|xml)$/i.test(filename)) return "bpmn";
	if (filename && /\.json$/i.test(filename)) return "json";
	return source.trimStart().startsWith("<") ? "bpmn" : "json";
}

type Read =
	| { ok: true; definition: WorkflowDefinition; warnings: BpmnProblem[] }
	| { ok: false; problems: BpmnProblem[] };

async function readSource(
	format: "json" | "bpmn",
	source: string,
	values: ImportFormValues,
): Promise<Read> {
	if (format === "bpmn") {
		const result = await importBpmn(source, {
			...(values.key ? { key: values.key } : {}),
			...(values.name ? { name: values.name } : {}),
		});
		if (!result.ok) return { ok: false, problems: [...result.problems, ...result.warnings] };
		return { ok: true, definition: result.definition, warnings: result.warnings };
	}
	const parsed = readDefinitionText(source);
	if (!parsed.ok)
		return {
			ok: false,
			problems: [{ code: "INVALID_JSON", message: parsed.message, severity: "error" }],
		};
	const checked = asEditableDefinition(parsed.definition);
	if (!checked.ok)
		return {
			ok: false,
			problems: [{ code: "INVALID_JSON", message: checked.message, severity: "error" }],
		};
	const definition = { ...checked.definition };
	if (values.key) definition.key = values.key;
	if (values.name) definition.name = values.name;
	if (typeof definition.name !== "string" || definition.name === "")
		definition.name = definition.key;
	return { ok: true, definition, warnings: [] };
}

/** The import as the workflow's draft: a new workflow, or the next draft of an existing one. */
async function saveImported(
	c: AdminContext,
	definition: WorkflowDefinition,
	replace: boolean,
): Promise<{ ok: true } | { ok: false; message: string }> {
	const now = Date.now();
	const savedBy = adminName(c);
	const existing = await findWorkflow(c.env.DB, definition.key);
	if (!existing) {
		await createDraftWorkflow(c.env.DB, definition, { savedBy, now });
		return { ok: true };
	}
	if (existing.draft && !replace) {
		return {
			ok: false,
			message: `The workflow "${definition.key}" already has a draft. Tick "Replace its draft" to import over it, or give another key.`,
		};
	}
	await saveDraft(c.env.DB, definition.key, definition, {
		expectedRevision: existing.draft?.revision ?? null,
		basedOn: null,
		savedBy,
		now,
	});
	return { ok: true };
}
