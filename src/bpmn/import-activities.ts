// BPMN activities as Baton nodes: user tasks (`ask` with their form, else a `question`), tasks
// that name a job type (a task type of that name), send and receive tasks (`send`, `message`),
// call activities (`subprocess`), embedded subprocesses (`scope`, C1), with their multi-instance
// markers (import-multi-instance.ts). Work the file describes but Baton cannot do (scripts, Java
// delegates, DMN decisions) is a step that does nothing, said in a warning.
import type { ModdleElement } from "bpmn-moddle";
import type { NodeDefinition, TransitionDefinition } from "../engine/index.ts";
import {
	applyExternalInputs,
	applyIoMapping,
	applyJobType,
	assignedRole,
	calledProcessOf,
	implementationOf,
} from "./import-camunda.ts";
import type { ImportContext } from "./import-context.ts";
import { settingToFeel } from "./import-expressions.ts";
import { formOf } from "./import-forms.ts";
import { correlationKey, messageName } from "./import-messages.ts";
import { multiInstanceOf } from "./import-multi-instance.ts";
import { attr, extension, foreignAttr, list } from "./moddle-access.ts";
import { toKey } from "./vocabulary.ts";

/** The inner graph of an embedded subprocess, imported by the graph importer. */
export type InnerGraph = (
	container: ModdleElement,
) => { nodes: NodeDefinition[]; transitions: TransitionDefinition[] } | undefined;

export interface ActivityOutcome {
	ok: boolean;
	/** A user task whose form Baton cannot read (import-decisions.ts may give it questions). */
	formless?: boolean;
}

/** Fills `node` for an activity; `ok: false` when refused. */
export function activityNode(
	el: ModdleElement,
	node: NodeDefinition,
	inner: InnerGraph,
	ctx: ImportContext,
): ActivityOutcome {
	if (el.loopCharacteristics) {
		const multi = multiInstanceOf(el, el.loopCharacteristics as ModdleElement, ctx);
		if (multi === "refused") return { ok: false };
		if (multi) node.multiInstance = multi;
	}
	const role = assignedRole(el, ctx);
	if (role) {
		node.role = role.key;
		ctx.assignedRoles.set(role.key, ctx.assignedRoles.get(role.key) ?? role.name);
	}
	dueDates(el, node, ctx);
	switch (el.$type) {
		case "bpmn:UserTask":
			return userTask(el, node, ctx);
		case "bpmn:ManualTask":
			asQuestion(el, node);
			return { ok: true };
		case "bpmn:ServiceTask":
		case "bpmn:BusinessRuleTask":
		case "bpmn:ScriptTask":
		case "bpmn:SendTask":
			return { ok: automated(el, node, ctx) };
		case "bpmn:ReceiveTask":
			receiveTask(el, node, ctx);
			return { ok: true };
		case "bpmn:CallActivity":
			return { ok: callActivity(el, node, ctx) };
		case "bpmn:SubProcess":
			return { ok: subProcess(el, node, inner, ctx) };
		case "bpmn:Task":
			return { ok: true };
		default:
			ctx.report.refuse(
				el,
				"UNSUPPORTED_ACTIVITY",
				el.$type === "bpmn:Transaction"
					? "Baton has no transactions (a subprocess whose steps are undone together)"
					: el.$type === "bpmn:AdHocSubProcess"
						? "Baton has no ad-hoc subprocesses (steps done in any order, as people choose); draw the order"
						: "Baton does not execute this activity",
			);
			return { ok: false };
	}
}

function userTask(el: ModdleElement, node: NodeDefinition, ctx: ImportContext): ActivityOutcome {
	const form = formOf(el, ctx);
	if (form.kind === "form") {
		node.task = "ask";
		node.params = { questions: form.questions };
		if (form.notes.length > 0) {
			node.description = [node.description, ...form.notes]
				.filter(Boolean)
				.join("\n\n")
				.slice(0, 2000);
		}
		applyIoMapping(el, node, undefined, ctx);
		return { ok: true };
	}
	asQuestion(el, node);
	applyIoMapping(el, node, undefined, ctx);
	if (form.kind === "elsewhere") {
		ctx.report.warn(
			el,
			"FORM_NOT_READ",
			`its form (${form.reference}) is not in the file; it asks its question, or for what the conditions after it read`,
		);
	}
	return { ok: true, formless: true };
}

/** A person answers the task's question (a free answer): the import of a task with no form. */
function asQuestion(el: ModdleElement, node: NodeDefinition): void {
	node.task = "question";
	node.params = { title: (el.name?.trim() || node.key).replace(/\s+/g, " ").slice(0, 100) };
}

/** Service, business rule, script and send tasks: a job type, else what Baton can say of them. */
function automated(el: ModdleElement, node: NodeDefinition, ctx: ImportContext): boolean {
	const job = applyJobType(el, node, ctx);
	if (job === "refused") return false;
	if (job === "placeholder") {
		applyIoMapping(el, node, [], ctx);
		return true;
	}
	if (job === "external") {
		applyExternalInputs(el, node, ctx);
		return true;
	}
	if (job === "registered") {
		const shape = ctx.catalog.get(node.task)?.params.shape as Record<string, unknown> | undefined;
		applyIoMapping(el, node, shape ? Object.keys(shape) : [], ctx);
		if (extension(el, "zeebe:taskHeaders")) {
			ctx.report.warn(
				el,
				"TASK_HEADERS",
				"its task headers are not kept: set the node's params instead",
			);
		}
		return true;
	}
	if (el.$type === "bpmn:SendTask") {
		const name = messageName(el, undefined, "message", "out", ctx);
		node.task = "send";
		node.params = {
			message: name,
			correlationKey: correlationKey(el, undefined, "message", ctx).key,
		};
		return true;
	}
	const implementation = implementationOf(el);
	const decision =
		attr(extension(el, "zeebe:calledDecision"), "decisionId") ??
		foreignAttr(el, "camunda:decisionRef");
	const script = typeof el.script === "string" || foreignAttr(el, "camunda:resource") !== undefined;
	const why =
		el.$type === "bpmn:BusinessRuleTask"
			? `evaluates ${decision ? `the decision ${decision}` : "a decision"}, and Baton has no DMN`
			: el.$type === "bpmn:ScriptTask"
				? `runs ${script ? "a script" : "a script it does not give"}, and Baton runs no scripts`
				: implementation
					? `calls ${implementation}, which Baton cannot run`
					: "has no task type";
	ctx.report.warn(el, "NOTHING_TO_RUN", `${why}; it would do nothing`);
	return true;
}

function receiveTask(el: ModdleElement, node: NodeDefinition, ctx: ImportContext): void {
	const name = messageName(el, undefined, "message", "in", ctx);
	node.task = "message";
	if (el.instantiate === true) {
		node.start = true;
		node.params = { message: name };
		return;
	}
	const key = correlationKey(el, undefined, "message", ctx);
	node.params = { message: name, correlationKey: key.key };
	if (key.byProcessId) {
		ctx.report.warn(
			el,
			"MESSAGE_BY_PROCESS_ID",
			`the model gives no correlation key for the message "${name}": it is for the process whose id it names (correlationKey = process.id)`,
		);
	}
}

function callActivity(el: ModdleElement, node: NodeDefinition, ctx: ImportContext): boolean {
	const called = calledProcessOf(el);
	if (!called) {
		ctx.report.refuse(el, "CALL_WITHOUT_PROCESS", "it names no process to call");
		return false;
	}
	if (/^[$#]\{|^=/.test(called)) {
		ctx.report.refuse(
			el,
			"CALLED_BY_EXPRESSION",
			`the process it calls is chosen at run time (${called}); a subprocess node calls one workflow`,
		);
		return false;
	}
	node.task = "subprocess";
	node.params = { workflow: toKey(called) };
	const local = list(ctx.definitions.rootElements).find((r) => r.id === called);
	if (local && local.$type !== "bpmn:Process") {
		ctx.report.warn(
			el,
			"CALLS_NON_PROCESS",
			`it calls ${called}, a ${local.$type.replace("bpmn:", "")} and not a process; import the workflow "${toKey(called)}" for it to run`,
		);
	} else if (local) {
		ctx.report.warn(
			el,
			"CALLS_PROCESS_IN_FILE",
			`it calls the process ${called} of this file: import that process too (as the workflow "${toKey(called)}")`,
		);
	}
	if (attr(extension(el, "zeebe:calledElement"), "propagateAllChildVariables") === "true") {
		ctx.report.warn(
			el,
			"CHILD_VARIABLES",
			"the called process's variables do not come back: the node's result is the list of its end results",
		);
	}
	const inputs = extension(el, "zeebe:ioMapping");
	if (inputs) applyIoMapping(el, node, [], ctx);
	return true;
}

function subProcess(
	el: ModdleElement,
	node: NodeDefinition,
	inner: InnerGraph,
	ctx: ImportContext,
): boolean {
	const elements = list(el.flowElements).filter((e) => e.$type !== "bpmn:SequenceFlow");
	if (elements.length === 0) {
		ctx.report.warn(
			el,
			"EMPTY_SUBPROCESS",
			"the subprocess shows no steps (collapsed); it would do nothing",
		);
		return true;
	}
	const graph = inner(el);
	if (!graph) return false;
	node.task = "scope";
	node.nodes = graph.nodes;
	node.transitions = graph.transitions;
	return true;
}

/** H1: Camunda's due and follow-up dates, as durations or FEEL. */
function dueDates(el: ModdleElement, node: NodeDefinition, ctx: ImportContext): void {
	const schedule = extension(el, "zeebe:taskSchedule");
	const dates = {
		due: attr(schedule, "dueDate") ?? foreignAttr(el, "camunda:dueDate"),
		followUp: attr(schedule, "followUpDate") ?? foreignAttr(el, "camunda:followUpDate"),
	};
	for (const [field, text] of Object.entries(dates) as ["due" | "followUp", string | undefined][]) {
		if (!text?.trim()) continue;
		const read = settingToFeel(text);
		if (read.ok && !("literal" in read)) node[field] = read.expression;
		else if (read.ok && /^P/i.test(read.literal)) node[field] = read.literal;
		else if (read.ok && !Number.isNaN(Date.parse(read.literal))) {
			node[field] = `= date and time(${JSON.stringify(read.literal)})`;
		} else ctx.report.warn(el, "DATE_NOT_READ", `its ${field} date ${text} is not read`);
	}
}
