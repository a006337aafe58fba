// A Baton workflow definition → BPMN 2.0 XML with a diagram (laid out by dagre), which a BPMN
// modeler opens and which importBpmn reads back to the same graph. What BPMN cannot say (task
// type, params, role, join and split kinds) travels in Baton's own attributes.
import dagre from "@dagrejs/dagre";
import { BpmnModdle, type ModdleElement } from "bpmn-moddle";
import { allNodes, type NodeDefinition, type WorkflowDefinition } from "../engine/index.ts";
import { BATON_NS, GATEWAY_KINDS } from "./vocabulary.ts";

const SIZES: Record<string, { width: number; height: number }> = {
	event: { width: 36, height: 36 },
	gateway: { width: 50, height: 50 },
	activity: { width: 120, height: 80 },
};

/** The BPMN element a node becomes, by its task type (every one also carries `baton:task`). */
function activityType(node: NodeDefinition): string {
	switch (node.task) {
		case "ask":
		case "question":
			return "bpmn:UserTask";
		case "subprocess":
			return "bpmn:CallActivity";
		case "event":
			return "bpmn:ReceiveTask";
		case "http":
			return "bpmn:ServiceTask";
		default:
			return "bpmn:Task";
	}
}

/**
 * What this export cannot write yet (the time and event constructs; their BPMN mapping is the next
 * step): named, so that an export refuses rather than drop their meaning quietly.
 */
export function notExportable(def: WorkflowDefinition): string[] {
	const found = new Set<string>();
	if (def.schedules?.length) found.add("scheduled starts");
	for (const node of allNodes(def)) {
		if (node.attachedTo !== undefined) found.add("boundary events");
		if (node.nodes !== undefined) found.add("scopes");
		if (node.multiInstance) found.add("multi-instance nodes");
		if (node.due !== undefined || node.followUp !== undefined) found.add("due dates");
		if (node.split === "event") found.add("event-based gateways");
		if (["message", "send", "error", "scope"].includes(node.task)) found.add(`${node.task} tasks`);
	}
	return [...found];
}

export async function exportBpmn(def: WorkflowDefinition): Promise<string> {
	const missing = notExportable(def);
	if (missing.length > 0) {
		throw new Error(`BPMN export does not carry ${missing.join(", ")} yet; export it as JSON`);
	}
	const moddle = new BpmnModdle();
	const b = (name: string) => `${BATON_NS.prefix}:${name}`;
	const process = moddle.create("bpmn:Process", {
		id: def.key,
		name: def.name,
		isExecutable: true,
	});
	const flowElements: ModdleElement[] = [];
	const kindOf = new Map<ModdleElement, keyof typeof SIZES>();
	const byKey = new Map<string, ModdleElement>();
	const countIn = (key: string) => def.transitions.filter((t) => t.to === key).length;
	const countOut = (key: string) => def.transitions.filter((t) => t.from === key).length;
	const add = (el: ModdleElement, kind: keyof typeof SIZES) => {
		el.incoming = [];
		el.outgoing = [];
		flowElements.push(el);
		kindOf.set(el, kind);
		return el;
	};
	const flows: ModdleElement[] = [];
	const connect = (id: string, from: ModdleElement, to: ModdleElement) => {
		const flow = moddle.create("bpmn:SequenceFlow", { id, sourceRef: from, targetRef: to });
		(from.outgoing as ModdleElement[]).push(flow);
		(to.incoming as ModdleElement[]).push(flow);
		flows.push(flow);
		return flow;
	};

	for (const node of def.nodes) {
		const inCount = countIn(node.key);
		const outCount = countOut(node.key);
		const bare =
			node.task === "dummy" &&
			!node.params &&
			!node.role &&
			node.priority === undefined &&
			!node.inline &&
			!node.editable;
		const attrs: Record<string, unknown> = { id: node.key };
		if (node.name) attrs.name = node.name;
		if (node.description)
			attrs.documentation = [moddle.create("bpmn:Documentation", { text: node.description })];
		let el: ModdleElement;
		const gateway =
			bare && !node.start && !node.end ? gatewayFor(node, inCount, outCount) : undefined;
		if (gateway) {
			el = add(moddle.create(gateway, attrs), "gateway");
		} else if (bare && node.start && !node.end && inCount === 0 && outCount <= 1) {
			el = add(moddle.create("bpmn:StartEvent", attrs), "event");
		} else if (bare && node.end && !node.start && outCount === 0 && inCount <= 1) {
			el = add(moddle.create("bpmn:EndEvent", attrs), "event");
		} else {
			const type = activityType(node);
			if (type === "bpmn:CallActivity" && typeof node.params?.workflow === "string") {
				attrs.calledElement = node.params.workflow;
			}
			el = add(moddle.create(type, attrs), "activity");
			el.$attrs[b("task")] = node.task;
			if (node.params) el.$attrs[b("params")] = JSON.stringify(node.params);
			if (node.role) el.$attrs[b("role")] = node.role;
			if (node.join) el.$attrs[b("join")] = node.join;
			if (node.split) el.$attrs[b("split")] = node.split;
			if (node.priority !== undefined) el.$attrs[b("priority")] = String(node.priority);
			if (node.inline) el.$attrs[b("inline")] = "true";
			if (node.editable) el.$attrs[b("editable")] = node.editable.join(",");
		}
		byKey.set(node.key, el);
		// A start or end that is a real task gets a plain event next to it, marked to fold back.
		if (node.start && el.$type !== "bpmn:StartEvent") {
			const start = add(moddle.create("bpmn:StartEvent", { id: `${node.key}__start` }), "event");
			start.$attrs[b("implicit")] = "true";
			connect(`${node.key}__start_flow`, start, el);
		}
		if (node.end && el.$type !== "bpmn:EndEvent") {
			const end = add(moddle.create("bpmn:EndEvent", { id: `${node.key}__end` }), "event");
			end.$attrs[b("implicit")] = "true";
			connect(`${node.key}__end_flow`, el, end);
		}
	}
	def.transitions.forEach((t, i) => {
		const from = byKey.get(t.from);
		const to = byKey.get(t.to);
		if (!from || !to) return;
		const flow = connect(`flow_${i + 1}`, from, to);
		if (t.condition !== undefined && t.condition !== "") {
			flow.conditionExpression = moddle.create("bpmn:FormalExpression", {
				body: String(t.condition),
			});
			if (typeof t.condition !== "string") flow.$attrs[b("conditionType")] = typeof t.condition;
		}
		if (t.on === "failure") flow.$attrs[b("on")] = "failure";
	});
	process.flowElements = [...flowElements, ...flows];
	if (def.description)
		process.documentation = [moddle.create("bpmn:Documentation", { text: def.description })];
	if (def.params) process.$attrs[b("params")] = JSON.stringify(def.params);
	if (def.startForm) process.$attrs[b("startForm")] = JSON.stringify(def.startForm);
	if (def.roles) process.$attrs[b("roles")] = JSON.stringify(def.roles);
	if (def.priority !== undefined) process.$attrs[b("priority")] = String(def.priority);
	if (def.stepBudget !== undefined) process.$attrs[b("stepBudget")] = String(def.stepBudget);

	const definitions = moddle.create("bpmn:Definitions", {
		id: `Definitions_${def.key}`,
		targetNamespace: "https://baton.dev/bpmn",
		exporter: "Baton",
		exporterVersion: "1",
		rootElements: [process],
		diagrams: [diagramFor(moddle, process, flowElements, flows, kindOf)],
	});
	definitions.$attrs[`xmlns:${BATON_NS.prefix}`] = BATON_NS.uri;
	return (await moddle.toXML(definitions, { format: true })).xml;
}

/** The gateway a bare node with several ways in or out is, when its join and split say one. */
function gatewayFor(node: NodeDefinition, inCount: number, outCount: number): string | undefined {
	if (inCount <= 1 && outCount <= 1) return undefined;
	const join = inCount > 1 ? (node.join ?? "and") : undefined;
	const split = outCount > 1 ? (node.split ?? "and") : undefined;
	for (const [type, kinds] of Object.entries(GATEWAY_KINDS)) {
		if (
			(join === undefined || join === kinds.join) &&
			(split === undefined || split === kinds.split)
		) {
			return type;
		}
	}
	return undefined;
}

/** Diagram interchange: shapes and edges from a left-to-right layered layout. */
function diagramFor(
	moddle: BpmnModdle,
	process: ModdleElement,
	elements: ModdleElement[],
	flows: ModdleElement[],
	kindOf: Map<ModdleElement, keyof typeof SIZES>,
): ModdleElement {
	const g = new dagre.graphlib.Graph({ multigraph: true });
	g.setGraph({ rankdir: "LR", nodesep: 50, ranksep: 70, marginx: 40, marginy: 40 });
	g.setDefaultEdgeLabel(() => ({}));
	for (const el of elements) g.setNode(el.id ?? "", { ...SIZES[kindOf.get(el) ?? "activity"] });
	for (const flow of flows) {
		g.setEdge(ref(flow.sourceRef), ref(flow.targetRef), {}, flow.id);
	}
	dagre.layout(g);
	const round = (n: number) => Math.round(n);
	const planeElement: ModdleElement[] = [];
	for (const el of elements) {
		const box = g.node(el.id ?? "");
		planeElement.push(
			moddle.create("bpmndi:BPMNShape", {
				id: `${el.id}_di`,
				bpmnElement: el,
				bounds: moddle.create("dc:Bounds", {
					x: round(box.x - box.width / 2),
					y: round(box.y - box.height / 2),
					width: box.width,
					height: box.height,
				}),
			}),
		);
	}
	for (const flow of flows) {
		const points = g.edge(ref(flow.sourceRef), ref(flow.targetRef), flow.id)?.points ?? [];
		planeElement.push(
			moddle.create("bpmndi:BPMNEdge", {
				id: `${flow.id}_di`,
				bpmnElement: flow,
				waypoint: points.map((p: { x: number; y: number }) =>
					moddle.create("dc:Point", { x: round(p.x), y: round(p.y) }),
				),
			}),
		);
	}
	const plane = moddle.create("bpmndi:BPMNPlane", {
		id: `${process.id}_plane`,
		bpmnElement: process,
		planeElement,
	});
	return moddle.create("bpmndi:BPMNDiagram", { id: `${process.id}_diagram`, plane });
}

function ref(value: unknown): string {
	return (value as { id?: string }).id ?? "";
}
