// A Baton workflow definition → BPMN 2.0 XML with its diagram, which a BPMN modeler opens as drawn
// and which importBpmn reads back to the same definition. Every construct Baton executes has its
// BPMN element (export-nodes.ts); what BPMN cannot say (task type, params, role, join and split
// kinds, due dates, crons) travels in Baton's own attributes. A scope is a subprocess holding its
// inner graph; schedules are timer start events; the author's layout, when kept, is the drawing.
import { BpmnModdle, type ModdleElement } from "bpmn-moddle";
import { storedLayoutOf, transitionOffsets } from "../diagram/stored-layout.ts";
import {
	allNodes,
	type NodeDefinition,
	type TransitionDefinition,
	type WorkflowDefinition,
} from "../engine/index.ts";
import { diagramOf } from "./export-diagram.ts";
import { Ids, RootElements, scheduleStart } from "./export-events.ts";
import { nodeElement } from "./export-nodes.ts";
import { type Drawn, type DrawnLevel, placeDrawing } from "./layout-out.ts";
import { BATON_NS } from "./vocabulary.ts";

interface Context {
	moddle: BpmnModdle;
	ids: Ids;
	roots: RootElements;
	/** Where each scope's transitions start in allTransitions order. */
	offsets: Map<string, number>;
}

const b = (name: string) => `${BATON_NS.prefix}:${name}`;

export async function exportBpmn(def: WorkflowDefinition): Promise<string> {
	const moddle = new BpmnModdle();
	const ids = new Ids();
	// Node keys are the elements' ids, claimed first so that nothing else takes one.
	for (const node of allNodes(def)) ids.claim(node.key);
	const ctx: Context = {
		moddle,
		ids,
		roots: new RootElements(moddle, ids),
		offsets: transitionOffsets(def),
	};
	const process = moddle.create("bpmn:Process", {
		id: ids.claim(def.key),
		name: def.name,
		isExecutable: true,
	});
	const { level: top, byKey } = buildLevel(ctx, def.nodes, def.transitions, 0, false);
	addSchedules(ctx, def, top, byKey);
	process.flowElements = flowElementsOf(top);
	if (def.description)
		process.documentation = [moddle.create("bpmn:Documentation", { text: def.description })];
	if (def.params) process.$attrs[b("params")] = JSON.stringify(def.params);
	if (def.startForm) process.$attrs[b("startForm")] = JSON.stringify(def.startForm);
	if (def.roles) process.$attrs[b("roles")] = JSON.stringify(def.roles);
	if (def.priority !== undefined) process.$attrs[b("priority")] = String(def.priority);
	if (def.stepBudget !== undefined) process.$attrs[b("stepBudget")] = String(def.stepBudget);

	const geometry = placeDrawing(top, storedLayoutOf(def));
	const definitions = moddle.create("bpmn:Definitions", {
		id: ids.claim(`Definitions_${def.key}`),
		targetNamespace: "https://baton.dev/bpmn",
		exporter: "Baton",
		exporterVersion: "1",
		rootElements: [process, ...ctx.roots.elements],
		diagrams: [diagramOf(moddle, ids, process, top, geometry)],
	});
	definitions.$attrs[`xmlns:${BATON_NS.prefix}`] = BATON_NS.uri;
	return (await moddle.toXML(definitions, { format: true })).xml;
}

/**
 * One graph, the top level or a scope's inside: an element per node (a start or end node that is
 * a real task gets a plain event next to it, marked `baton:implicit` to fold back on import), and a
 * sequence flow per transition with its condition.
 */
function buildLevel(
	ctx: Context,
	nodes: readonly NodeDefinition[],
	transitions: readonly TransitionDefinition[],
	base: number,
	inScope: boolean,
): { level: DrawnLevel; byKey: Map<string, ModdleElement> } {
	const { moddle, ids } = ctx;
	const level: DrawnLevel = { elements: [], flows: [] };
	const byKey = new Map<string, ModdleElement>();
	const keys = new Set(nodes.map((n) => n.key));
	const count = (side: "from" | "to", key: string) =>
		transitions.filter((t) => t[side] === key).length;
	const connect = (id: string, from: ModdleElement, to: ModdleElement, index?: number) => {
		const flow = moddle.create("bpmn:SequenceFlow", {
			id: ids.claim(id),
			sourceRef: from,
			targetRef: to,
		});
		(from.outgoing as ModdleElement[]).push(flow);
		(to.incoming as ModdleElement[]).push(flow);
		level.flows.push(index === undefined ? { el: flow, from, to } : { el: flow, from, to, index });
		return flow;
	};
	const add = (drawn: Drawn) => {
		drawn.el.incoming = [];
		drawn.el.outgoing = [];
		level.elements.push(drawn);
		return drawn.el;
	};

	for (const node of nodes) {
		const place = {
			incoming: count("to", node.key),
			outgoing: count("from", node.key),
			inScope,
			hasHost: node.attachedTo !== undefined && keys.has(node.attachedTo),
		};
		const { el, shape } = nodeElement(moddle, ctx.roots, node, place);
		const drawn: Drawn = { el, shape, node: node.key };
		if (el.$type === "bpmn:SubProcess") {
			const inner = buildLevel(
				ctx,
				node.nodes ?? [],
				node.transitions ?? [],
				ctx.offsets.get(node.key) ?? 0,
				true,
			);
			drawn.inner = inner.level;
			el.flowElements = flowElementsOf(inner.level);
		}
		add(drawn);
		byKey.set(node.key, el);
		if (node.start && el.$type !== "bpmn:StartEvent") {
			const start = moddle.create("bpmn:StartEvent", { id: ids.claim(`${node.key}__start`) });
			start.$attrs[b("implicit")] = "true";
			add({ el: start, shape: "event", beside: { el, side: "before", slot: 0 } });
			connect(`${node.key}__start_flow`, start, el);
		}
		if (node.end && el.$type !== "bpmn:EndEvent") {
			const end = moddle.create("bpmn:EndEvent", { id: ids.claim(`${node.key}__end`) });
			end.$attrs[b("implicit")] = "true";
			add({ el: end, shape: "event", beside: { el, side: "after", slot: 0 } });
			connect(`${node.key}__end_flow`, el, end);
		}
	}
	for (const drawn of level.elements) {
		const host =
			drawn.el.$type === "bpmn:BoundaryEvent" ? nodeOf(nodes, drawn)?.attachedTo : undefined;
		const hostEl = host === undefined ? undefined : byKey.get(host);
		if (hostEl) {
			drawn.el.attachedToRef = hostEl;
			drawn.host = hostEl;
		}
	}
	transitions.forEach((t, i) => {
		const from = byKey.get(t.from);
		const to = byKey.get(t.to);
		if (!from || !to) return;
		const flow = connect(`flow_${base + i + 1}`, from, to, base + i);
		if (t.condition !== undefined && t.condition !== "") {
			flow.conditionExpression = moddle.create("bpmn:FormalExpression", {
				body: String(t.condition),
			});
			if (typeof t.condition !== "string") flow.$attrs[b("conditionType")] = typeof t.condition;
		}
		if (t.on === "failure") flow.$attrs[b("on")] = "failure";
	});
	return { level, byKey };
}

function nodeOf(nodes: readonly NodeDefinition[], drawn: Drawn): NodeDefinition | undefined {
	return nodes.find((n) => n.key === drawn.node);
}

/**
 * Q1: each schedule a timer start event with a flow to each start node that is a task (its own
 * start event stands beside it). These flows are not transitions: a schedule starts the process
 * at all its start nodes, as any start does (S2); a start event takes no flow in, so a start node
 * that is itself a start event has none, and a schedule of only such nodes stands alone.
 */
function addSchedules(
	ctx: Context,
	def: WorkflowDefinition,
	top: DrawnLevel,
	byKey: Map<string, ModdleElement>,
) {
	const starts = def.nodes.filter((n) => n.start).flatMap((n) => byKey.get(n.key) ?? []);
	const targets = starts.filter((el) => el.$type !== "bpmn:StartEvent");
	const first = starts[0];
	const anchor =
		first && top.elements.find((d) => d.beside?.el === first && d.beside.side === "before");
	(def.schedules ?? []).forEach((schedule, i) => {
		const id = ctx.ids.claim(`schedule_${i + 1}`);
		const el = scheduleStart(ctx.moddle, schedule, id);
		el.incoming = [];
		el.outgoing = [];
		const drawn: Drawn = { el, shape: "event" };
		const under = anchor?.el ?? first;
		if (under) drawn.beside = { el: under, side: "below", slot: i };
		top.elements.push(drawn);
		targets.forEach((target, k) => {
			const flow = ctx.moddle.create("bpmn:SequenceFlow", {
				id: ctx.ids.claim(`${id}_flow_${k + 1}`),
				sourceRef: el,
				targetRef: target,
			});
			(el.outgoing as ModdleElement[]).push(flow);
			(target.incoming as ModdleElement[]).push(flow);
			top.flows.push({ el: flow, from: el, to: target });
		});
	});
}

/** A level's elements then its flows, the order the import reads them in. */
function flowElementsOf(level: DrawnLevel): ModdleElement[] {
	return [...level.elements.map((d) => d.el), ...level.flows.map((f) => f.el)];
}
