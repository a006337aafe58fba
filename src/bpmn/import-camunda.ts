// Camunda 7 and 8 extensions whose meaning Baton can keep: the job type of a service task (a task
// type of that name, registered or declared external), who does a user task (roles), and input
// mappings that are plain values or FEEL where the engine evaluates it. Read without Camunda's
// moddle descriptors (moddle-access.ts).
import type { ModdleElement } from "bpmn-moddle";
import type { NodeDefinition } from "../engine/index.ts";
import type { ImportContext } from "./import-context.ts";
import { settingToFeel } from "./import-expressions.ts";
import { oneLine } from "./import-report.ts";
import { attr, children, extension, foreignAttr, list, refElement } from "./moddle-access.ts";
import { toKey, toRoleKey } from "./vocabulary.ts";

/** Connector job types that are a built-in task type under another name. */
const JOB_TYPE_ALIASES: Record<string, string> = {
	"io.camunda:http-json:1": "http",
};

/** The params each task type evaluates as FEEL (`= …`) when it runs; elsewhere FEEL stays text. */
const FEEL_PARAMS: Record<string, readonly string[]> = {
	message: ["correlationKey"],
	event: ["correlationKey"],
	send: ["correlationKey", "payload"],
	wait: ["until", "duration"],
};

/** The job type a Camunda 8 or 7 element names, and where it was written. */
function jobTypeOf(el: ModdleElement): { type: string; source: string } | undefined {
	const zeebe = attr(extension(el, "zeebe:taskDefinition"), "type");
	if (zeebe?.trim()) return { type: zeebe.trim(), source: "zeebe:taskDefinition" };
	const camundaType = foreignAttr(el, "camunda:type");
	const topic = foreignAttr(el, "camunda:topic");
	if (camundaType === "external" && topic?.trim())
		return { type: topic.trim(), source: "camunda:topic" };
	if (camundaType?.trim() && camundaType !== "external") {
		return { type: camundaType.trim(), source: "camunda:type" };
	}
	return undefined;
}

/**
 * The task type of an element that names a job type: the registered task type of that name; else,
 * as Camunda's job workers, an external task type the workflow declares (K1), which a worker
 * outside Baton fetches and completes. Asked to, the import refuses it instead, naming it, or lets
 * the step stand in as a `dummy`, reported.
 */
export function applyJobType(
	el: ModdleElement,
	node: NodeDefinition,
	ctx: ImportContext,
): "none" | "registered" | "external" | "placeholder" | "refused" {
	const job = jobTypeOf(el);
	if (!job) return "none";
	const type = JOB_TYPE_ALIASES[job.type] ?? job.type;
	if (/^[$#]\{|^=/.test(type)) {
		ctx.report.refuse(
			el,
			"JOB_TYPE_EXPRESSION",
			`the job type ${type} is chosen at run time; a Baton node has one task type`,
		);
		return "refused";
	}
	if (ctx.catalog.get(type)) {
		node.task = type;
		return "registered";
	}
	const missing = `needs the task type "${type}" (${job.source}), which Baton does not have`;
	switch (ctx.unknownTaskTypes) {
		case "external":
			return declareExternal(el, node, type, missing, ctx);
		case "placeholder":
			node.task = "dummy";
			ctx.placeholders++;
			ctx.report.warn(
				el,
				"PLACEHOLDER_TASK_TYPE",
				`${missing}; imported as a placeholder that does nothing`,
			);
			return "placeholder";
		case "refuse":
			ctx.report.refuse(
				el,
				"MISSING_TASK_TYPE",
				`${missing}: register a task type of that name, or import it as an external task type`,
			);
			return "refused";
	}
}

/** K1: the job type as an external task type of the workflow, under a name that is a key. */
function declareExternal(
	el: ModdleElement,
	node: NodeDefinition,
	type: string,
	missing: string,
	ctx: ImportContext,
): "external" | "refused" {
	const name = toKey(type);
	if (ctx.catalog.get(name)) {
		ctx.report.refuse(
			el,
			"MISSING_TASK_TYPE",
			`${missing}, and its name as a key, "${name}", is a registered task type's`,
		);
		return "refused";
	}
	node.task = name;
	if (!ctx.externalTasks[name]) {
		ctx.externalTasks[name] = { title: type.slice(0, 100) };
		ctx.report.warn(
			el,
			"EXTERNAL_TASK_TYPE",
			`${missing}: declared as the workflow's external task type "${name}" (K1), which a worker outside Baton fetches and completes`,
		);
	}
	return "external";
}

/** How an element calls code Baton cannot run (a Java class, an expression, a web service). */
export function implementationOf(el: ModdleElement): string | undefined {
	for (const name of ["camunda:class", "camunda:delegateExpression", "camunda:expression"]) {
		const value = foreignAttr(el, name);
		if (value?.trim()) return `${name} ${value.trim()}`;
	}
	const connector = extension(el, "camunda:connector");
	const id = children(connector, "camunda:connectorId")[0]?.$body;
	if (typeof id === "string" && id.trim()) return `the connector ${id.trim()}`;
	const implementation = el.implementation;
	if (typeof implementation === "string" && /webservice/i.test(implementation)) {
		return "a web service";
	}
	return undefined;
}

/**
 * The role of a node from its assignment: candidate groups (the first; Camunda 8 or 7), an
 * assignee who is a name (a role of one), or a potential owner or performer resource. An assignee
 * or group computed by an expression cannot be kept: said, and the lane decides.
 */
export function assignedRole(
	el: ModdleElement,
	ctx: ImportContext,
): { key: string; name: string } | undefined {
	const zeebe = extension(el, "zeebe:assignmentDefinition");
	const groups = attr(zeebe, "candidateGroups") ?? foreignAttr(el, "camunda:candidateGroups");
	const assignee = attr(zeebe, "assignee") ?? foreignAttr(el, "camunda:assignee");
	const users = attr(zeebe, "candidateUsers") ?? foreignAttr(el, "camunda:candidateUsers");
	if (users?.trim()) {
		ctx.report.warn(
			el,
			"CANDIDATE_USERS",
			`candidate users ${users.trim()} are not kept; the task goes to a member of its role`,
		);
	}
	const group = literalList(groups, "candidate groups", el, ctx);
	if (group) {
		if (assignee?.trim()) {
			ctx.report.warn(
				el,
				"ASSIGNEE_NOT_KEPT",
				`the assignee ${assignee.trim()} is not kept; the task goes to a member of the group "${group}"`,
			);
		}
		return { key: toRoleKey(group), name: group };
	}
	const person = literalList(assignee, "assignee", el, ctx);
	if (person) return { key: toRoleKey(person), name: person };
	for (const owner of list(el.resources)) {
		const resource = refElement(owner.resourceRef);
		const name = resource?.name;
		if (typeof name === "string" && name.trim() !== "") {
			return { key: toRoleKey(oneLine(name)), name: oneLine(name) };
		}
	}
	return undefined;
}

/** The first name of a comma-separated list, or undefined (with a warning) for an expression. */
function literalList(
	value: string | undefined,
	what: string,
	el: ModdleElement,
	ctx: ImportContext,
): string | undefined {
	const trimmed = value?.trim();
	if (!trimmed) return undefined;
	if (/^[$#]\{|^=/.test(trimmed)) {
		ctx.report.warn(
			el,
			"ASSIGNMENT_EXPRESSION",
			`the ${what} ${trimmed} is computed at run time and cannot be kept; the task goes to a member of its lane's role, if any`,
		);
		return undefined;
	}
	const names = trimmed
		.split(",")
		.map((s) => s.trim())
		.filter((s) => s !== "");
	if (names.length > 1) {
		ctx.report.warn(
			el,
			"SEVERAL_GROUPS",
			`only the first of the ${what} ${trimmed} is kept as the role`,
		);
	}
	return names[0];
}

/**
 * Input and output mappings (Camunda 8's `zeebe:ioMapping`, Camunda 7's `camunda:inputOutput`)
 * onto the node's params: a literal value (`= "text"`, `= 42`, plain text) as it is, FEEL only
 * into a param the task type evaluates. Outputs that rename are not kept: a task's result object
 * joins the process variables under its own names (R5).
 */
export function applyIoMapping(
	el: ModdleElement,
	node: NodeDefinition,
	paramNames: readonly string[] | undefined,
	ctx: ImportContext,
): void {
	const mappings = mappingsOf(el);
	if (!mappings) return;
	const dropped: string[] = [];
	for (const { target, value } of mappings.inputs) {
		const known = paramNames?.includes(target) ?? false;
		const evaluated = FEEL_PARAMS[node.task]?.includes(target) ?? false;
		if (known && value.kind === "literal") {
			node.params = { ...(node.params ?? {}), [target]: value.value };
		} else if (known && value.kind === "feel" && evaluated) {
			node.params = { ...(node.params ?? {}), [target]: `= ${value.feel}` };
		} else dropped.push(target);
	}
	if (dropped.length > 0) {
		ctx.report.warn(
			el,
			"INPUT_NOT_KEPT",
			`the input mapping of ${dropped.join(", ")} is not kept: task type "${node.task}" has no such param, or does not evaluate FEEL in it`,
		);
	}
	const renamed = mappings.outputs.filter((o) => !o.identity).map((o) => o.target);
	if (renamed.length > 0) {
		ctx.report.warn(
			el,
			"OUTPUT_NOT_KEPT",
			`the output mapping of ${renamed.join(", ")} is not kept: a task's result object joins the process variables under its own names`,
		);
	}
}

/**
 * K1: an external task's params are the literal inputs Camunda maps onto its job (the worker gets
 * them), declared on its type as text, number or checkbox fields.
 */
export function applyExternalInputs(
	el: ModdleElement,
	node: NodeDefinition,
	ctx: ImportContext,
): void {
	const targets = (mappingsOf(el)?.inputs ?? [])
		.map((i) => i.target)
		.filter((t) => /^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(t));
	applyIoMapping(el, node, targets, ctx);
	const external = ctx.externalTasks[node.task];
	if (!external || !node.params) return;
	const fields = { ...(external.params ?? {}) };
	for (const [name, value] of Object.entries(node.params)) {
		if (fields[name]) continue;
		fields[name] =
			typeof value === "number"
				? { label: name, type: "number" }
				: typeof value === "boolean"
					? { label: name, type: "checkbox" }
					: { label: name };
	}
	external.params = fields;
}

interface Mappings {
	inputs: { target: string; value: InputValue }[];
	outputs: { target: string; identity: boolean }[];
}

function mappingsOf(el: ModdleElement): Mappings | undefined {
	const zeebe = extension(el, "zeebe:ioMapping");
	const camunda = extension(el, "camunda:inputOutput");
	if (!zeebe && !camunda) return undefined;
	const out: Mappings = { inputs: [], outputs: [] };
	for (const input of children(zeebe, "zeebe:input")) {
		const target = attr(input, "target")?.trim();
		const source = attr(input, "source")?.trim();
		if (target && source !== undefined) out.inputs.push({ target, value: inputValue(source) });
	}
	for (const output of children(zeebe, "zeebe:output")) {
		const target = attr(output, "target")?.trim() ?? "";
		const source = attr(output, "source")?.replace(/^=\s*/, "").trim();
		out.outputs.push({ target, identity: source === target });
	}
	for (const input of children(camunda, "camunda:inputParameter")) {
		const target = attr(input, "name")?.trim();
		if (!target) continue;
		// A script, list or map inside the parameter is code or structure Baton does not read.
		const text =
			children(input).length === 0 && typeof input.$body === "string" ? input.$body : undefined;
		out.inputs.push({ target, value: text === undefined ? { kind: "unread" } : inputValue(text) });
	}
	for (const output of children(camunda, "camunda:outputParameter")) {
		const target = attr(output, "name")?.trim() ?? "";
		const body = typeof output.$body === "string" ? output.$body.trim() : "";
		out.outputs.push({ target, identity: body === `\${${target}}` });
	}
	return out;
}

type InputValue =
	| { kind: "literal"; value: string | number | boolean }
	| { kind: "feel"; feel: string }
	| { kind: "unread" };

/** An input's source: a FEEL literal is a plain value; other FEEL stays FEEL. */
function inputValue(source: string): InputValue {
	const read = settingToFeel(source);
	if (!read.ok) return { kind: "unread" };
	if ("literal" in read) return { kind: "literal", value: read.literal };
	const text = read.feel;
	if (/^"(?:[^"\\]|\\.)*"$/.test(text))
		return { kind: "literal", value: JSON.parse(text) as string };
	if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: "literal", value: Number(text) };
	if (text === "true" || text === "false") return { kind: "literal", value: text === "true" };
	return { kind: "feel", feel: text };
}

/** The process a call activity calls: Camunda 8's `zeebe:calledElement`, else `calledElement`. */
export function calledProcessOf(el: ModdleElement): string | undefined {
	const zeebe = attr(extension(el, "zeebe:calledElement"), "processId");
	const called = zeebe ?? (typeof el.calledElement === "string" ? el.calledElement : undefined);
	return called?.trim() || undefined;
}
