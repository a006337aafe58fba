// BPMN 2.0 XML → a Baton workflow definition, for the part of BPMN that Baton executes: start and
// end events, tasks, exclusive / parallel / inclusive gateways, sequence flows with conditions,
// timer catch events and call activities. Anything else is reported by name and line, never
// silently dropped. The definition still goes through compileWorkflow (D2) before it can run.
import { BpmnModdle, type ModdleElement } from "bpmn-moddle";
import type {
	JoinKind,
	NodeDefinition,
	SplitKind,
	TransitionDefinition,
	WorkflowDefinition,
} from "../engine/index.ts";
import { BATON_NS, GATEWAY_KINDS, HUMAN_TASKS, toKey, toRoleKey } from "./vocabulary.ts";
import { lineIndex } from "./xml-lines.ts";

export interface BpmnProblem {
	code: string;
	message: string;
	/** The BPMN element, e.g. `bpmn:boundaryEvent`. */
	element?: string;
	id?: string;
	line?: number;
	severity: "error" | "warning";
}

export type BpmnImportResult =
	| { ok: true; definition: WorkflowDefinition; warnings: BpmnProblem[] }
	| { ok: false; problems: BpmnProblem[]; warnings: BpmnProblem[] };

/** Flow nodes Baton turns into nodes; everything else in a process is unsupported. */
const ACTIVITIES = new Set([
	"bpmn:Task",
	"bpmn:UserTask",
	"bpmn:ManualTask",
	"bpmn:ServiceTask",
	"bpmn:ScriptTask",
	"bpmn:SendTask",
	"bpmn:BusinessRuleTask",
	"bpmn:ReceiveTask",
	"bpmn:CallActivity",
]);
/** Present in modeler files, carry no behaviour: ignored with a warning. */
const IGNORED = new Set(["bpmn:DataObjectReference", "bpmn:DataStoreReference", "bpmn:DataObject"]);

export async function importBpmn(
	xml: string,
	options: { key?: string; name?: string } = {},
): Promise<BpmnImportResult> {
	const problems: BpmnProblem[] = [];
	const warnings: BpmnProblem[] = [];
	const lines = lineIndex(xml);
	if (lines.error) {
		problems.push({
			code: "INVALID_XML",
			message: lines.error.message,
			line: lines.error.line,
			severity: "error",
		});
		return { ok: false, problems, warnings };
	}
	let root: ModdleElement;
	try {
		root = (await new BpmnModdle().fromXML(xml)).rootElement;
	} catch (e) {
		problems.push({
			code: "INVALID_BPMN",
			message: `not a BPMN 2.0 document: ${(e as Error).message}`,
			severity: "error",
		});
		return { ok: false, problems, warnings };
	}
	const where = (el: ModdleElement) => {
		const out: { element: string; id?: string; line?: number } = { element: xmlName(el.$type) };
		if (el.id) {
			out.id = el.id;
			const line = lines.byId.get(el.id);
			if (line !== undefined) out.line = line;
		}
		return out;
	};
	const unsupported = (el: ModdleElement, why: string) =>
		problems.push({
			code: "UNSUPPORTED_ELEMENT",
			message: `${xmlName(el.$type)}${el.name ? ` "${el.name}"` : ""}${lineText(where(el).line)}: ${why}`,
			...where(el),
			severity: "error",
		});

	const processes = list(root.rootElements).filter((e) => e.$type === "bpmn:Process");
	const process = processes.find((p) => p.isExecutable === true) ?? processes[0];
	if (!process) {
		problems.push({
			code: "NO_PROCESS",
			message: "the document holds no bpmn:process",
			severity: "error",
		});
		return { ok: false, problems, warnings };
	}
	if (processes.length > 1) {
		warnings.push({
			code: "SEVERAL_PROCESSES",
			message: `only process "${process.id}" is imported; ${processes.length - 1} other process(es) ignored`,
			severity: "warning",
		});
	}

	const laneRole = new Map<string, { key: string; name: string }>();
	for (const set of list(process.laneSets)) {
		for (const lane of list(set.lanes)) {
			const name = lane.name ?? lane.id ?? "lane";
			for (const ref of list(lane.flowNodeRef)) {
				if (ref.id) laneRole.set(ref.id, { key: toRoleKey(name), name });
			}
		}
	}

	const elements = list(process.flowElements);
	const flows = elements.filter((e) => e.$type === "bpmn:SequenceFlow");
	const keyOf = new Map<string, string>();
	const nodes: NodeDefinition[] = [];
	const folded = { start: new Set<string>(), end: new Set<string>() };
	const roles = new Map<string, string>();
	const incoming = (el: ModdleElement) => flows.filter((f) => ref(f.targetRef) === el.id);
	const outgoing = (el: ModdleElement) => flows.filter((f) => ref(f.sourceRef) === el.id);

	for (const el of elements) {
		if (el.$type === "bpmn:SequenceFlow" || !el.id) continue;
		if (IGNORED.has(el.$type)) {
			warnings.push({
				code: "IGNORED_ELEMENT",
				message: `${xmlName(el.$type)} carries no behaviour in Baton and is ignored`,
				...where(el),
				severity: "warning",
			});
			continue;
		}
		const implicit = el.$attrs[`${BATON_NS.prefix}:implicit`] === "true";
		const node = toNode(
			el,
			{ incoming: incoming(el).length, outgoing: outgoing(el).length },
			unsupported,
		);
		if (node === "skip") continue;
		if (implicit && el.$type === "bpmn:StartEvent") {
			folded.start.add(el.id);
			continue;
		}
		if (implicit && el.$type === "bpmn:EndEvent") {
			folded.end.add(el.id);
			continue;
		}
		const lane = laneRole.get(el.id);
		if (lane) roles.set(lane.key, lane.name);
		if (!node.role && lane && node.task !== "dummy") node.role = lane.key;
		if (node.role && !roles.has(node.role)) roles.set(node.role, node.role);
		keyOf.set(el.id, node.key);
		nodes.push(node);
	}

	const transitions: TransitionDefinition[] = [];
	const defaults = new Set(
		elements.map((e) => ref(e.default)).filter((id): id is string => id !== undefined),
	);
	const ordered = [
		...flows.filter((f) => !defaults.has(f.id ?? "")),
		...flows.filter((f) => defaults.has(f.id ?? "")),
	];
	for (const flow of ordered) {
		const source = ref(flow.sourceRef);
		const target = ref(flow.targetRef);
		const condition = conditionOf(flow, defaults);
		if (condition.kind === "unsupported") {
			problems.push({
				code: "UNSUPPORTED_CONDITION",
				message: `condition "${condition.body}" on the flow ${flow.id}${lineText(where(flow).line)} is not FEEL; write it as "= expression"`,
				...where(flow),
				severity: "error",
			});
		}
		if (source && folded.start.has(source)) {
			const node = nodes.find((n) => n.key === (target ? keyOf.get(target) : undefined));
			if (node) node.start = true;
			continue;
		}
		if (target && folded.end.has(target)) {
			const node = nodes.find((n) => n.key === (source ? keyOf.get(source) : undefined));
			if (node) node.end = true;
			continue;
		}
		const from = source ? keyOf.get(source) : undefined;
		const to = target ? keyOf.get(target) : undefined;
		if (from === undefined || to === undefined) continue; // an unsupported end, already reported
		const transition: TransitionDefinition = { from, to };
		if (condition.kind === "condition") {
			const type = flow.$attrs[`${BATON_NS.prefix}:conditionType`];
			transition.condition =
				type === "number"
					? Number(condition.value)
					: type === "boolean"
						? condition.value === "true"
						: condition.value;
		}
		if (flow.$attrs[`${BATON_NS.prefix}:on`] === "failure") transition.on = "failure";
		transitions.push(transition);
	}

	if (problems.length > 0) return { ok: false, problems, warnings };
	const key = options.key ?? toKey(process.id ?? "workflow");
	const definition: WorkflowDefinition = {
		key,
		name: options.name ?? process.name ?? key,
		nodes,
		transitions,
	};
	const doc = list(process.documentation)[0]?.text;
	if (typeof doc === "string" && doc.trim() !== "")
		definition.description = doc.trim().slice(0, 2000);
	const processAttr = (name: string) => process.$attrs[`${BATON_NS.prefix}:${name}`];
	const params = parseJson(processAttr("params"));
	if (params) definition.params = params;
	const startForm = parseJson(processAttr("startForm"));
	if (startForm) definition.startForm = startForm as WorkflowDefinition["startForm"];
	const declared = parseJsonList(processAttr("roles"));
	if (declared) definition.roles = declared as WorkflowDefinition["roles"];
	else if (roles.size > 0) definition.roles = [...roles].map(([k, name]) => ({ key: k, name }));
	for (const name of ["priority", "stepBudget"] as const) {
		const value = Number(processAttr(name));
		if (processAttr(name) !== undefined && Number.isInteger(value)) definition[name] = value;
	}
	return { ok: true, definition, warnings };
}

type Counts = { incoming: number; outgoing: number };

/** One BPMN flow node as a Baton node, or "skip" when it was reported as unsupported. */
function toNode(
	el: ModdleElement,
	counts: Counts,
	unsupported: (el: ModdleElement, why: string) => void,
): NodeDefinition | "skip" {
	const key = toKey(el.id ?? "node");
	const node: NodeDefinition = { key, task: "dummy" };
	if (el.name) node.name = el.name.slice(0, 100);
	const attr = (name: string) => el.$attrs[`${BATON_NS.prefix}:${name}`];
	const events = list(el.eventDefinitions);
	const gateway = GATEWAY_KINDS[el.$type];
	if (gateway) {
		if (counts.incoming > 1) node.join = gateway.join;
		if (counts.outgoing > 1) node.split = gateway.split;
	} else if (el.$type === "bpmn:StartEvent" || el.$type === "bpmn:EndEvent") {
		if (events.length > 0) {
			unsupported(
				el,
				`a ${el.$type === "bpmn:StartEvent" ? "start" : "end"} event with ${xmlName(events[0]?.$type ?? "")} is not supported; use a none event`,
			);
			return "skip";
		}
		if (el.$type === "bpmn:StartEvent") node.start = true;
		else node.end = true;
	} else if (el.$type === "bpmn:IntermediateCatchEvent") {
		const timer =
			events.length === 1 && events[0]?.$type === "bpmn:TimerEventDefinition"
				? events[0]
				: undefined;
		const duration = expressionBody(timer?.timeDuration);
		const date = expressionBody(timer?.timeDate);
		if (!timer || (duration === undefined && date === undefined)) {
			unsupported(el, "only timer catch events with a duration or a date are supported");
			return "skip";
		}
		node.task = "wait";
		node.params = duration !== undefined ? { duration } : { until: date };
	} else if (ACTIVITIES.has(el.$type)) {
		if (el.loopCharacteristics) {
			unsupported(
				el,
				"loop and multi-instance markers are not supported; draw the loop with flows",
			);
			return "skip";
		}
		node.task = HUMAN_TASKS.has(el.$type) ? "question" : "dummy";
		if (node.task === "question") node.params = { title: el.name ?? key };
		if (el.$type === "bpmn:ReceiveTask") node.task = "event";
		if (el.$type === "bpmn:CallActivity") {
			node.task = "subprocess";
			if (typeof el.calledElement === "string") node.params = { workflow: toKey(el.calledElement) };
		}
		const group = candidateGroup(el);
		if (group) node.role = toRoleKey(group);
		// BPMN: several flows into an activity merge without waiting (XOR); out of it, all are taken.
		if (counts.incoming > 1) node.join = "xor";
	} else {
		unsupported(el, "Baton does not execute this element");
		return "skip";
	}
	const task = attr("task");
	if (task) node.task = task;
	const params = parseJson(attr("params"));
	if (params) node.params = params;
	else if (task && task !== "question") delete node.params;
	const role = attr("role");
	if (role) node.role = role;
	const join = attr("join") as JoinKind | undefined;
	if (join) node.join = join;
	const split = attr("split") as SplitKind | undefined;
	if (split) node.split = split;
	if (attr("start") === "true") node.start = true;
	if (attr("end") === "true") node.end = true;
	if (attr("inline") === "true") node.inline = true;
	const editable = attr("editable");
	if (typeof editable === "string" && editable !== "") node.editable = editable.split(",");
	const priority = Number(attr("priority"));
	if (attr("priority") !== undefined && Number.isInteger(priority)) node.priority = priority;
	const doc = list(el.documentation)[0]?.text;
	if (typeof doc === "string" && doc.trim() !== "") node.description = doc.trim().slice(0, 2000);
	return node;
}

/** The first candidate group of a user task: Camunda 7's attribute or Camunda 8's extension. */
function candidateGroup(el: ModdleElement): string | undefined {
	const extension = el.extensionElements as { values?: ModdleElement[] } | undefined;
	const zeebe = extension?.values?.find((v) => v.$type.endsWith(":assignmentDefinition"));
	const groups = el.$attrs["camunda:candidateGroups"] ?? zeebe?.candidateGroups;
	return typeof groups === "string" ? groups.split(",")[0]?.trim() || undefined : undefined;
}

type Condition =
	| { kind: "none" }
	| { kind: "condition"; value: string }
	| { kind: "unsupported"; body: string };

function conditionOf(flow: ModdleElement, defaults: Set<string>): Condition {
	if (defaults.has(flow.id ?? "")) return { kind: "none" };
	const body = expressionBody(flow.conditionExpression)?.trim();
	if (body === undefined || body === "") return { kind: "none" };
	if (/^[$#]\{/.test(body)) return { kind: "unsupported", body };
	return { kind: "condition", value: body };
}

function expressionBody(value: unknown): string | undefined {
	if (typeof value !== "object" || value === null) return undefined;
	const body = (value as { body?: unknown }).body;
	return typeof body === "string" ? body : undefined;
}

function list(value: unknown): ModdleElement[] {
	return Array.isArray(value) ? (value as ModdleElement[]) : [];
}

function ref(value: unknown): string | undefined {
	if (typeof value === "string") return value;
	if (typeof value === "object" && value !== null) return (value as { id?: string }).id;
	return undefined;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
	if (text === undefined) return undefined;
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === "object" && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: undefined;
	} catch {
		return undefined;
	}
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

/** `bpmn:BoundaryEvent` → `bpmn:boundaryEvent`, as it is written in the file. */
function xmlName(type: string): string {
	const [prefix, local] = type.split(":");
	return local ? `${prefix}:${local.charAt(0).toLowerCase()}${local.slice(1)}` : type;
}

function lineText(line: number | undefined): string {
	return line === undefined ? "" : ` (line ${line})`;
}
