// The workflow editor's routes: every change to a draft is a plain POST (303 back to the editor
// without JavaScript; with htmx, the editor comes back redrawn: report, diagram and forms). A form
// to correct answers 422 with the values kept; a stale page (another admin saved) answers 409.
import { Hono } from "hono";
import { Editor, EditorPage, JsonReport } from "../../../../templates/admin/editor.tsx";
import { ParamsFields } from "../../../../templates/admin/node-form.tsx";
import { linkedErrors } from "../../../../templates/components.tsx";
import {
	addNode,
	addTransition,
	DraftEditError,
	moveTransition,
	removeNode,
	removeTransition,
	setSettings,
	updateNode,
	updateTransition,
} from "../../../admin/draft-edit.ts";
import {
	type Posted,
	readNodeForm,
	readSettingsForm,
	readTransitionForm,
} from "../../../admin/draft-forms.ts";
import {
	type EditorView,
	editorView,
	innerGraphText,
	nodeFormView,
	postedNodeForm,
	postedSettingsForm,
	postedTransitionForm,
	reportOf,
	withParamsFor,
} from "../../../admin/editor-view.ts";
import { isPlainObject, parseJson, readParamsLoose } from "../../../admin/node-params.ts";
import { exportBpmn } from "../../../bpmn/export.ts";
import { activeMembersByRole, listRoles } from "../../../db/people.ts";
import {
	discardDraft,
	findWorkflow,
	publishDraft,
	saveDraft,
	type WorkflowDraft,
	type WorkflowRow,
} from "../../../db/workflows.ts";
import { diagramFor } from "../../../diagram/cache.ts";
import type { DiagramView } from "../../../diagram/view.ts";
import { EngineError, type Problem, type WorkflowDefinition } from "../../../engine/index.ts";
import { taskCatalog } from "../../../tasks/registry.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { chromeOf, isHtmx, redirect, withNotice } from "../../view-models/page-context.ts";
import { type AdminContext, adminName, noticeText, posted } from "./guard.ts";
import { downloadBpmn, downloadJson, workflowPath } from "./workflow-files.ts";

export const editorRoutes = new Hono<AppEnv>();

const draftPath = (key: string) => `${workflowPath(key)}/draft`;

interface Loaded {
	row: WorkflowRow;
	draft: WorkflowDraft;
}

async function loadDraft(c: AdminContext): Promise<Loaded> {
	const key = c.req.param("key") ?? "";
	const row = await findWorkflow(c.env.DB, key);
	if (!row) throw new AppError("not_found", "There is no such workflow.");
	if (!row.draft) {
		throw new AppError(
			"conflict",
			"This workflow has no draft (it was published or discarded). Start a new draft from a version.",
		);
	}
	return { row, draft: row.draft };
}

interface RenderOptions {
	status?: 200 | 409 | 422;
	focus?: string;
	notice?: string;
	formErrors?: { href?: string; message: string }[];
	/** Swaps in a form as it was posted. */
	patch?: (view: EditorView) => void;
}

async function renderEditor(c: AdminContext, loaded: Loaded, options: RenderOptions = {}) {
	const [roles, staffed] = await Promise.all([listRoles(c.env.DB), activeMembersByRole(c.env.DB)]);
	const view = editorView({
		key: loaded.row.key,
		latestVersion: loaded.row.latestVersion,
		draft: loaded.draft,
		catalog: taskCatalog,
		knownRoles: roles.map((r) => ({
			key: r.key,
			name: r.name,
			activeMembers: staffed.get(r.key) ?? 0,
		})),
	});
	options.patch?.(view);
	const props = {
		chrome: chromeOf(c),
		view,
		diagram: previewOf(loaded.draft.definition),
		...(options.formErrors ? { formErrors: options.formErrors } : {}),
		...(options.focus ? { focus: options.focus } : {}),
		...(options.notice ? { notice: options.notice } : {}),
	};
	const status = options.status ?? 200;
	if (isHtmx(c)) {
		const { notice: _pageNotice, ...fragment } = props;
		return c.html(<Editor {...fragment} status={options.notice} />, status);
	}
	return c.html(<EditorPage {...props} />, status);
}

/**
 * The diagram of a draft, drawn from the part of it that makes a graph: duplicate node keys and
 * transitions to missing nodes are left out until they are fixed (the report names them).
 */
function previewOf(def: WorkflowDefinition): DiagramView | null {
	const seen = new Set<string>();
	const nodes = def.nodes.filter((n) => {
		if (typeof n.key !== "string" || seen.has(n.key)) return false;
		seen.add(n.key);
		return true;
	});
	if (nodes.length === 0) return null;
	const transitions = def.transitions.filter((t) => seen.has(t.from) && seen.has(t.to));
	try {
		const { version: _draftHasNone, ...rest } = def;
		const view = diagramFor({ ...rest, name: def.name || def.key, nodes, transitions });
		// No process runs in a preview: each node says what it does instead of "not reached".
		const what = new Map(nodes.map((n) => [n.key, `${n.task}${n.role ? ` · ${n.role}` : ""}`]));
		return {
			...view,
			nodes: view.nodes.map((n) => ({ ...n, statusLabel: what.get(n.key) ?? n.statusLabel })),
		};
	} catch (e) {
		console.warn(JSON.stringify({ where: "admin preview", error: String(e) }));
		return null;
	}
}

/**
 * Applies an edit to the draft the page showed (its revision) and saves it. A refused edit is shown
 * in its form (422); a draft changed meanwhile is shown as it is now (409), nothing applied.
 */
async function applyEdit(
	c: AdminContext,
	form: Posted,
	edit: (def: WorkflowDefinition) => WorkflowDefinition,
	opts: {
		focus: (def: WorkflowDefinition) => string;
		notice: string;
		onEditError?: (view: EditorView, error: DraftEditError) => void;
	},
): Promise<Response> {
	const loaded = await loadDraft(c);
	const revision = Number(form.revision);
	if (revision !== loaded.draft.revision) return staleDraft(c, loaded);
	let next: WorkflowDefinition;
	try {
		next = edit(loaded.draft.definition);
	} catch (e) {
		if (!(e instanceof DraftEditError)) throw e;
		const handler = opts.onEditError;
		return renderEditor(c, loaded, {
			status: 422,
			formErrors: [{ message: e.message }],
			...(handler ? { patch: (view: EditorView) => handler(view, e) } : {}),
		});
	}
	let saved: WorkflowDraft;
	try {
		saved = await saveDraft(c.env.DB, loaded.row.key, next, {
			expectedRevision: loaded.draft.revision,
			savedBy: adminName(c),
			now: Date.now(),
		});
	} catch (e) {
		if (e instanceof EngineError && e.code === "conflict") {
			const fresh = await findWorkflow(c.env.DB, loaded.row.key);
			if (fresh?.draft) return staleDraft(c, { row: fresh, draft: fresh.draft });
		}
		throw e;
	}
	const focus = opts.focus(saved.definition);
	if (!isHtmx(c)) return redirect(c, withNotice(draftPath(loaded.row.key), "saved", `#${focus}`));
	return renderEditor(c, { row: loaded.row, draft: saved }, { focus, notice: opts.notice });
}

function staleDraft(c: AdminContext, loaded: Loaded) {
	return renderEditor(c, loaded, {
		status: 409,
		formErrors: [
			{
				message: `The draft was changed meanwhile (saved by ${loaded.draft.savedBy ?? "someone"}); your change was not applied. This is the draft as it is now: redo the change.`,
			},
		],
	});
}

const nodeAnchor = (def: WorkflowDefinition, key: string) => {
	const index = def.nodes.findIndex((n) => n.key === key);
	return index < 0 ? "nodes" : `node-${index}`;
};

editorRoutes.get("/workflows/:key/draft", async (c) => {
	const key = c.req.param("key");
	const row = await findWorkflow(c.env.DB, key);
	if (!row) throw new AppError("not_found", "There is no such workflow.");
	if (!row.draft) return c.redirect(workflowPath(key), 303);
	const notice = noticeText(c);
	return renderEditor(c, { row, draft: row.draft }, notice ? { notice } : {});
});

editorRoutes.get("/workflows/:key/draft/export.json", async (c) => {
	const { row, draft } = await loadDraft(c);
	return downloadJson(c, draft.definition, `${row.key}-draft.json`);
});

editorRoutes.get("/workflows/:key/draft/export.bpmn", async (c) => {
	const { row, draft } = await loadDraft(c);
	let xml: string;
	try {
		xml = await exportBpmn(draft.definition);
	} catch (e) {
		throw new AppError(
			"invalid_definition",
			`The draft cannot be drawn as BPMN yet (${String((e as Error).message ?? e)}); fix the problems the editor shows first.`,
		);
	}
	return downloadBpmn(c, xml, `${row.key}-draft.bpmn`);
});

editorRoutes.post("/workflows/:key/draft/settings", async (c) => {
	const form = await posted(c);
	const read = readSettingsForm(form);
	if (!read.ok) {
		const loaded = await loadDraft(c);
		return renderEditor(c, loaded, {
			status: 422,
			focus: "settings",
			formErrors: Object.values(read.errors).map((message) => ({ href: "#settings", message })),
			patch: (view) => {
				view.settings = postedSettingsForm(view.settings, form, read.errors);
			},
		});
	}
	return applyEdit(c, form, (def) => setSettings(def, read.value), {
		focus: () => "settings",
		notice: "Workflow settings saved.",
	});
});

editorRoutes.post("/workflows/:key/draft/nodes", async (c) => {
	const form = await posted(c);
	const read = readNodeForm(form, taskCatalog);
	const showPosted = (view: EditorView, errors: Record<string, string>) => {
		view.newNode = postedNodeForm(view.newNode, form, taskCatalog, errors);
	};
	if (!read.ok) return nodeFormErrors(c, read.errors, "new-node", showPosted);
	const { node } = read.value;
	return applyEdit(c, form, (def) => addNode(def, node), {
		focus: (def) => nodeAnchor(def, node.key),
		notice: `Node "${node.key}" added.`,
		onEditError: (view, e) => showPosted(view, { [e.field]: e.message }),
	});
});

editorRoutes.post("/workflows/:key/draft/nodes/:node", async (c) => {
	const nodeKey = c.req.param("node");
	const form = await posted(c);
	const read = readNodeForm(form, taskCatalog);
	const showPosted = (view: EditorView, errors: Record<string, string>) => {
		const i = view.nodes.findIndex((n) => n.originalKey === nodeKey);
		const shown = view.nodes[i];
		if (shown) view.nodes[i] = postedNodeForm(shown, form, taskCatalog, errors);
	};
	if (!read.ok) {
		return nodeFormErrors(c, read.errors, undefined, showPosted, nodeKey);
	}
	const edited = read.value;
	return applyEdit(c, form, (def) => updateNode(def, nodeKey, edited), {
		focus: (def) => nodeAnchor(def, edited.node.key),
		notice: `Node "${edited.node.key}" saved.`,
		onEditError: (view, e) => showPosted(view, { [e.field]: e.message }),
	});
});

async function nodeFormErrors(
	c: AdminContext,
	errors: Record<string, string>,
	anchor: string | undefined,
	showPosted: (view: EditorView, errors: Record<string, string>) => void,
	nodeKey?: string,
) {
	const loaded = await loadDraft(c);
	const index =
		nodeKey === undefined ? -1 : loaded.draft.definition.nodes.findIndex((n) => n.key === nodeKey);
	if (nodeKey !== undefined && index < 0)
		throw new AppError("not_found", `There is no node "${nodeKey}" in the draft.`);
	const focus = anchor ?? `node-${index}`;
	return renderEditor(c, loaded, {
		status: 422,
		focus,
		formErrors: linkedErrors(
			errors,
			(field) =>
				`${focus}-${field.startsWith("param.") ? `param-${field.slice(6)}` : field === "params_extra" ? "params-extra" : field}`,
		),
		patch: (view) => showPosted(view, errors),
	});
}

editorRoutes.post("/workflows/:key/draft/nodes/:node/delete", async (c) => {
	const nodeKey = c.req.param("node");
	const form = await posted(c);
	return applyEdit(c, form, (def) => removeNode(def, nodeKey), {
		focus: () => "nodes",
		notice: `Node "${nodeKey}" and its transitions deleted.`,
	});
});

/** The params fields of another task type, for a node form whose task type select changed (htmx). */
editorRoutes.get("/workflows/:key/draft/params-fields", async (c) => {
	const { draft } = await loadDraft(c);
	const query = c.req.query();
	const task = query.task ?? "dummy";
	const shownFor = taskCatalog.get(query.params_type ?? "");
	const params = readParamsLoose(shownFor, query);
	const anchor = (c.req.header("HX-Target") ?? "").replace(/^[a-z]+#/, "").replace(/-params$/, "");
	const base = nodeFormView(draft.definition, taskCatalog, { key: "", task }, null, []);
	const form = withParamsFor({ ...base, anchor: anchor || "new-node" }, task, params, taskCatalog);
	// The page does not send the inner graph (see NodeForm): a node switched back to scope shows
	// the graph it has in the draft, so saving it does not empty the scope.
	const index = /^node-(\d+)$/.exec(anchor)?.[1];
	const saved = index === undefined ? undefined : draft.definition.nodes[Number(index)];
	const innerGraph = task === "scope" && saved ? innerGraphText(saved) : "";
	return c.html(<ParamsFields form={{ ...form, editable: query.editable ?? "", innerGraph }} />);
});

editorRoutes.post("/workflows/:key/draft/transitions", async (c) => {
	const form = await posted(c);
	const read = readTransitionForm(form);
	const showPosted = (view: EditorView, errors: Record<string, string>) => {
		view.newTransition = postedTransitionForm(view.newTransition, form, errors);
	};
	if (!read.ok) {
		const loaded = await loadDraft(c);
		return renderEditor(c, loaded, {
			status: 422,
			focus: "new-transition",
			formErrors: linkedErrors(read.errors, "new-transition-"),
			patch: (view) => showPosted(view, read.errors),
		});
	}
	return applyEdit(c, form, (def) => addTransition(def, read.value), {
		focus: (def) => `transition-${def.transitions.length - 1}`,
		notice: `Transition ${read.value.from} → ${read.value.to} added.`,
	});
});

editorRoutes.post("/workflows/:key/draft/transitions/:index", async (c) => {
	const index = transitionIndex(c.req.param("index"));
	const form = await posted(c);
	const loaded = await loadDraft(c);
	const previous = loaded.draft.definition.transitions[index];
	if (!previous) throw new AppError("not_found", "There is no such transition in the draft.");
	const read = readTransitionForm(form, previous);
	if (!read.ok) {
		return renderEditor(c, loaded, {
			status: 422,
			focus: `transition-${index}`,
			formErrors: linkedErrors(read.errors, `transition-${index}-`),
			patch: (view) => {
				const shown = view.transitions[index];
				if (shown) view.transitions[index] = postedTransitionForm(shown, form, read.errors);
			},
		});
	}
	return applyEdit(c, form, (def) => updateTransition(def, index, read.value), {
		focus: () => `transition-${index}`,
		notice: `Transition ${index + 1} saved.`,
	});
});

editorRoutes.post("/workflows/:key/draft/transitions/:index/delete", async (c) => {
	const index = transitionIndex(c.req.param("index"));
	const form = await posted(c);
	return applyEdit(c, form, (def) => removeTransition(def, index), {
		focus: () => "transitions",
		notice: `Transition ${index + 1} deleted.`,
	});
});

editorRoutes.post("/workflows/:key/draft/transitions/:index/move", async (c) => {
	const index = transitionIndex(c.req.param("index"));
	const form = await posted(c);
	const by = form.by === "-1" ? -1 : 1;
	return applyEdit(c, form, (def) => moveTransition(def, index, by), {
		focus: (def) => `transition-${Math.max(0, Math.min(def.transitions.length - 1, index + by))}`,
		notice: `Transition ${index + 1} moved ${by < 0 ? "up" : "down"}.`,
	});
});

function transitionIndex(raw: string): number {
	const index = Number(raw);
	if (!Number.isInteger(index) || index < 0)
		throw new AppError("not_found", "There is no such transition.");
	return index;
}

/** Replaces the whole draft with a definition typed as JSON (the key stays the workflow's). */
editorRoutes.post("/workflows/:key/draft/json", async (c) => {
	const form = await posted(c);
	const parsed = readDefinitionText(form.json ?? "");
	if (!parsed.ok) {
		const loaded = await loadDraft(c);
		return renderEditor(c, loaded, {
			status: 422,
			formErrors: [{ href: "#json-text", message: parsed.message }],
			patch: (view) => {
				view.json = form.json ?? "";
			},
		});
	}
	return applyEdit(c, form, (def) => ({ ...parsed.definition, key: def.key }), {
		focus: () => "report",
		notice: "The draft was replaced with the JSON.",
	});
});

/** Validates JSON being typed, without saving it: the report fragment under the text box (htmx). */
editorRoutes.post("/workflows/:key/draft/check", async (c) => {
	const form = await posted(c);
	const { row } = await loadDraft(c);
	const parsed = readDefinitionText(form.json ?? "");
	if (!parsed.ok) return c.html(<JsonReport parseError={parsed.message} />);
	return c.html(
		<JsonReport report={reportOf({ ...parsed.definition, key: row.key }, taskCatalog)} />,
	);
});

/**
 * A definition from JSON text: it must be an object with the lists an editor needs (nodes,
 * transitions); anything else wrong with it is for the report.
 */
export function readDefinitionText(
	text: string,
): { ok: true; definition: WorkflowDefinition } | { ok: false; message: string } {
	const parsed = parseJson(text);
	if (!parsed.ok) return { ok: false, message: `This is not valid JSON: ${parsed.message}` };
	return asEditableDefinition(parsed.value);
}

/** The shape the editor can work with; every other mistake is shown by the report (D2). */
export function asEditableDefinition(
	value: unknown,
): { ok: true; definition: WorkflowDefinition } | { ok: false; message: string } {
	if (!isPlainObject(value))
		return { ok: false, message: "A workflow definition is a JSON object." };
	const nodes = value.nodes ?? [];
	const transitions = value.transitions ?? [];
	if (
		!Array.isArray(nodes) ||
		!nodes.every((n) => isPlainObject(n) && typeof n.key === "string" && typeof n.task === "string")
	) {
		return {
			ok: false,
			message: '"nodes" must be a list of objects, each with a "key" and a "task".',
		};
	}
	if (
		!Array.isArray(transitions) ||
		!transitions.every(
			(t) => isPlainObject(t) && typeof t.from === "string" && typeof t.to === "string",
		)
	) {
		return {
			ok: false,
			message: '"transitions" must be a list of objects, each with "from" and "to".',
		};
	}
	const { $schema: _schema, version: _version, ...rest } = value;
	return { ok: true, definition: { ...rest, nodes, transitions } as WorkflowDefinition };
}

editorRoutes.post("/workflows/:key/draft/publish", async (c) => {
	const form = await posted(c);
	const loaded = await loadDraft(c);
	if (Number(form.revision) !== loaded.draft.revision) return staleDraft(c, loaded);
	try {
		const published = await publishDraft(c.env.DB, loaded.row.key, {
			revision: loaded.draft.revision,
			publishedBy: adminName(c),
			auditBy: c.get("user").id,
			now: Date.now(),
		});
		return redirect(
			c,
			withNotice(`${workflowPath(loaded.row.key)}?published=${published.version}`, "published"),
		);
	} catch (e) {
		if (e instanceof EngineError && e.code === "invalid_definition") {
			const problems = (e.details as Problem[] | undefined) ?? [];
			const report = reportOf(loaded.draft.definition, taskCatalog);
			const shown =
				report.errors.length > 0
					? report.errors
					: problems.map((p) => ({ ...p, href: "#report", where: p.path }));
			return renderEditor(c, loaded, {
				status: 422,
				focus: "report",
				formErrors: [
					{
						message: `It cannot be published yet: ${shown.length} problem${shown.length === 1 ? "" : "s"} to fix.`,
					},
					...shown.map((p) => ({ href: p.href, message: `${p.where}: ${p.message}` })),
				],
			});
		}
		if (e instanceof EngineError && e.code === "conflict") return staleDraft(c, loaded);
		throw e;
	}
});

editorRoutes.post("/workflows/:key/draft/discard", async (c) => {
	const form = await posted(c);
	const loaded = await loadDraft(c);
	if (Number(form.revision) !== loaded.draft.revision) return staleDraft(c, loaded);
	const { deletedWorkflow } = await discardDraft(c.env.DB, loaded.row.key, loaded.draft.revision);
	return redirect(
		c,
		withNotice(deletedWorkflow ? "/admin/workflows" : workflowPath(loaded.row.key), "discarded"),
	);
});
