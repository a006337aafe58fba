// BPMN 2.0 XML → a Baton workflow definition, for every construct Baton executes (docs/bpmn.md):
// events, gateways, tasks, subprocesses, multi-instance, lanes and collaborations, with Camunda 7
// and 8 extensions where their meaning is clear. What Baton cannot execute refuses the file, by
// element and line; every meaning lost on the way is a warning; a workflow that would do nothing
// useful is not called valid. The definition still goes through compileWorkflow (D2) to run.
import { BpmnModdle, type ModdleElement } from "bpmn-moddle";
import { allNodes, allTransitions, type WorkflowDefinition } from "../engine/index.ts";
import { taskCatalog } from "../tasks/registry.ts";
import { parseJson } from "./import-baton.ts";
import { type BpmnImportOptions, type ImportContext, KeyAllocator } from "./import-context.ts";
import { askForReadVariables } from "./import-decisions.ts";
import { importContainer } from "./import-graph.ts";
import { messageFlowName } from "./import-messages.ts";
import { type BpmnProblem, ImportReport, oneLine } from "./import-report.ts";
import { startFormOf } from "./import-start-form.ts";
import { layoutFromDiagram } from "./layout-in.ts";
import { attr, extensions, list, ref, refElement } from "./moddle-access.ts";
import { BATON_NS, toKey, toRoleKey } from "./vocabulary.ts";
import { lineIndex } from "./xml-lines.ts";

export type { BpmnImportOptions } from "./import-context.ts";
export type { BpmnProblem } from "./import-report.ts";

export type BpmnImportResult =
	| {
			ok: true;
			definition: WorkflowDefinition;
			warnings: BpmnProblem[];
			/**
			 * False when the workflow would do nothing useful: every step a placeholder, or some step
			 * standing in for a task type Baton does not have. The warnings say which.
			 */
			valid: boolean;
	  }
	| { ok: false; problems: BpmnProblem[]; warnings: BpmnProblem[] };

export async function importBpmn(
	xml: string,
	options: BpmnImportOptions = {},
): Promise<BpmnImportResult> {
	try {
		return await importChecked(xml, options);
	} catch (e) {
		// A file that trips the importer itself is refused like any other, never a crash.
		return {
			ok: false,
			problems: [
				{
					code: "IMPORT_FAILED",
					message: `the file could not be imported: ${e instanceof Error ? e.message : String(e)}`,
					severity: "error",
				},
			],
			warnings: [],
		};
	}
}

async function importChecked(xml: string, options: BpmnImportOptions): Promise<BpmnImportResult> {
	const lines = lineIndex(xml);
	const report = new ImportReport(lines);
	if (lines.error) {
		report.refuseFile("INVALID_XML", lines.error.message, lines.error.line);
		return refused(report);
	}
	let root: ModdleElement;
	try {
		root = (await new BpmnModdle().fromXML(xml)).rootElement;
	} catch (e) {
		report.refuseFile("INVALID_BPMN", `not a BPMN 2.0 document: ${(e as Error).message}`);
		return refused(report);
	}
	const process = pickProcess(root, options.process, report);
	if (!process) return refused(report);
	const ctx: ImportContext = {
		report,
		catalog: options.catalog ?? taskCatalog,
		unknownTaskTypes: options.unknownTaskTypes ?? "external",
		externalTasks: {},
		fromBaton: root.exporter === "Baton",
		definitions: root,
		process,
		expressionLanguage:
			typeof root.expressionLanguage === "string" ? root.expressionLanguage : undefined,
		keys: new KeyAllocator(),
		keyOf: new Map(),
		drawnNodes: new Map(),
		flowOf: new Map(),
		undrawn: false,
		participant: participantOf(root, process),
		roles: new Map(),
		assignedRoles: new Map(),
		laneRoles: laneRoles(process),
		schedules: [],
		messageFlows: list(root.rootElements)
			.filter((r) => r.$type === "bpmn:Collaboration")
			.flatMap((c) => list(c.messageFlows)),
		embeddedForms: new Map(
			extensions(process, "zeebe:userTaskForm").map((f) => [attr(f, "id") ?? "", f] as const),
		),
		placeholders: 0,
		decisions: new Set(),
		askedNames: new Set(),
		formless: [],
	};
	const graph = importContainer(process, "process", ctx);
	askForReadVariables(ctx);
	collaborationNotes(ctx);
	if (report.refused) return refused(report);
	const definition = assemble(process, graph, options, ctx);
	const layout = drawing(root, definition, ctx);
	if (layout) definition.layout = layout;
	const valid = verdict(definition, ctx);
	return { ok: true, definition, warnings: report.warnings, valid };
}

function refused(report: ImportReport): BpmnImportResult {
	return { ok: false, problems: report.problems, warnings: report.warnings };
}

/**
 * The process to import: the one asked for; else the first executable one; else (a modeler's
 * drawing, none executable) the one with the most steps. The others are named in a warning.
 */
function pickProcess(
	root: ModdleElement,
	wanted: string | undefined,
	report: ImportReport,
): ModdleElement | undefined {
	const processes = list(root.rootElements).filter((e) => e.$type === "bpmn:Process");
	const size = (p: ModdleElement) => list(p.flowElements).length;
	let process: ModdleElement | undefined;
	if (wanted !== undefined) {
		process = processes.find((p) => p.id === wanted);
		if (!process) {
			report.refuseFile(
				"NO_SUCH_PROCESS",
				`the file holds no process "${wanted}"; it holds ${processes.map((p) => p.id).join(", ") || "none"}`,
			);
			return undefined;
		}
	} else {
		process =
			processes.find((p) => p.isExecutable === true) ??
			[...processes].sort((a, b) => size(b) - size(a))[0];
	}
	if (!process) {
		report.refuseFile("NO_PROCESS", "the document holds no bpmn:process");
		return undefined;
	}
	const chosen = process;
	const others = processes.filter((p) => p !== chosen && size(p) > 0);
	if (others.length > 0) {
		report.warnFile(
			"SEVERAL_PROCESSES",
			`only the process "${chosen.id}" is imported; import ${others.map((p) => `"${p.id}"`).join(", ")} on ${others.length > 1 ? "their" : "its"} own (choose the process)`,
		);
	}
	return chosen;
}

/** Each lane a role; a step in a lane within a lane takes the innermost. */
function laneRoles(process: ModdleElement): Map<string, { key: string; name: string }> {
	const roles = new Map<string, { key: string; name: string }>();
	const visit = (sets: ModdleElement[]) => {
		for (const set of sets) {
			for (const lane of list(set.lanes)) {
				const name = oneLine(lane.name ?? "") || lane.id || "lane";
				for (const node of list(lane.flowNodeRef)) {
					const id = ref(node);
					if (id) roles.set(id, { key: toRoleKey(name), name: name.slice(0, 100) });
				}
				if (lane.childLaneSet) visit([lane.childLaneSet as ModdleElement]);
			}
		}
	};
	visit(list(process.laneSets));
	return roles;
}

/**
 * What the pools around the imported one mean: a black-box pool is the world outside Baton (its
 * messages come through the API or a webhook); a message flow to a step that neither waits nor
 * sends is not kept.
 */
function collaborationNotes(ctx: ImportContext): void {
	const inProcess = new Set(ctx.keyOf.keys());
	const participants = list(ctx.definitions.rootElements)
		.filter((r) => r.$type === "bpmn:Collaboration")
		.flatMap((c) => list(c.participants));
	const own = ctx.participant;
	for (const flow of ctx.messageFlows) {
		const source = ref(flow.sourceRef) ?? "";
		const target = ref(flow.targetRef) ?? "";
		const inbound = inProcess.has(target) || target === own?.id;
		const outbound = inProcess.has(source) || source === own?.id;
		if (!inbound && !outbound) continue;
		const other = participants.find((p) => p.id === (inbound ? source : target));
		const otherProcess = refElement(other?.processRef);
		const name = messageFlowName(flow);
		if (other && list(otherProcess?.flowElements).length === 0) {
			ctx.report.warn(
				other,
				"BLACK_BOX_POOL",
				`a pool with no process: the message "${name}" ${inbound ? "comes from" : "goes to"} outside Baton (POST /api/v1/messages, a webhook, or a send it waits for)`,
			);
		}
		const end = refElement(inbound ? flow.targetRef : flow.sourceRef);
		const step = end && ctx.keyOf.has(end.id ?? "") ? end : undefined;
		if (step && !sendsOrWaits(step)) {
			ctx.report.warn(
				flow,
				"MESSAGE_FLOW_NOT_KEPT",
				`the message ${inbound ? "to" : "from"} ${step.name ? `"${oneLine(step.name)}"` : step.id} is drawn, not executed: that step neither waits for nor sends a message`,
			);
		}
	}
}

function sendsOrWaits(el: ModdleElement): boolean {
	if (["bpmn:SendTask", "bpmn:ReceiveTask"].includes(el.$type)) return true;
	return list(el.eventDefinitions).some((d) =>
		["bpmn:MessageEventDefinition", "bpmn:SignalEventDefinition"].includes(d.$type),
	);
}

/** The pool (participant) of `process` in the file's collaborations, if any. */
function participantOf(root: ModdleElement, process: ModdleElement): ModdleElement | undefined {
	return list(root.rootElements)
		.filter((r) => r.$type === "bpmn:Collaboration")
		.flatMap((c) => list(c.participants))
		.find((p) => ref(p.processRef) === process.id);
}

function assemble(
	process: ModdleElement,
	graph: { nodes: WorkflowDefinition["nodes"]; transitions: WorkflowDefinition["transitions"] },
	options: BpmnImportOptions,
	ctx: ImportContext,
): WorkflowDefinition {
	const key = options.key ?? toKey(process.id ?? "workflow");
	const named = [process.name, ctx.participant?.name].find(
		(n): n is string => typeof n === "string" && n.trim() !== "",
	);
	const definition: WorkflowDefinition = {
		key,
		name: (options.name ?? (named ? oneLine(named) : key)).slice(0, 100),
		nodes: graph.nodes,
		transitions: graph.transitions,
	};
	const doc = list(process.documentation)[0]?.text;
	if (typeof doc === "string" && doc.trim() !== "")
		definition.description = doc.trim().slice(0, 2000);
	const processAttr = (name: string) => process.$attrs[`${BATON_NS.prefix}:${name}`];
	const params = parseJson(processAttr("params"));
	if (params) definition.params = params;
	const startForm =
		parseJson(processAttr("startForm")) ??
		(ctx.fromBaton ? undefined : startFormOf(allNodes(definition), ctx));
	if (startForm) definition.startForm = startForm as WorkflowDefinition["startForm"];
	const declared = parseJsonList(processAttr("roles"));
	if (declared) definition.roles = declared as WorkflowDefinition["roles"];
	else if (ctx.roles.size > 0)
		definition.roles = [...ctx.roles].map(([k, name]) => ({ key: k, name }));
	for (const name of ["priority", "stepBudget"] as const) {
		const value = Number(processAttr(name));
		if (processAttr(name) !== undefined && Number.isInteger(value)) definition[name] = value;
	}
	if (Object.keys(ctx.externalTasks).length > 0) definition.externalTasks = ctx.externalTasks;
	if (ctx.schedules.length > 0) definition.schedules = ctx.schedules;
	return definition;
}

/** The author's drawing from the file's diagram, when it draws every node (layout-in.ts). */
function drawing(
	root: ModdleElement,
	definition: WorkflowDefinition,
	ctx: ImportContext,
): WorkflowDefinition["layout"] {
	if (ctx.undrawn) return undefined;
	const transitions = new Map<string, number>();
	allTransitions(definition).forEach((t, i) => {
		const flow = ctx.flowOf.get(t);
		if (flow !== undefined) transitions.set(flow, i);
	});
	return layoutFromDiagram(root, { nodes: ctx.drawnNodes, transitions });
}

/**
 * Task types that only shape the flow (wait, listen, end in error): no work is done by them, nor by
 * a person choosing a route.
 */
const FLOW_ONLY = new Set(["dummy", "scope", "wait", "message", "event", "error"]);

/** Valid unless some step stands in for a missing task type or no step does any work. */
function verdict(definition: WorkflowDefinition, ctx: ImportContext): boolean {
	const working = allNodes(definition).some(
		(n) => !FLOW_ONLY.has(n.task) && !ctx.decisions.has(n.key),
	);
	if (!working) {
		ctx.report.warnFile(
			"DOES_NOTHING",
			`no step of "${definition.name}" does any work (its tasks are abstract, or name nothing Baton can run): it would run to its end and change nothing; give its steps task types before publishing`,
		);
	}
	if (ctx.placeholders > 0) {
		ctx.report.warnFile(
			"PLACEHOLDERS",
			`${ctx.placeholders} step(s) stand in for task types Baton does not have; choose a task type for each before publishing`,
		);
	}
	return working && ctx.placeholders === 0;
}

function parseJsonList(text: string | undefined): unknown[] | undefined {
	if (text === undefined) return undefined;
	try {
		const value: unknown = JSON.parse(text);
		return Array.isArray(value) ? value : undefined;
	} catch {
		return undefined;
	}
}
