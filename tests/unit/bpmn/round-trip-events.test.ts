// Export → import gives the same workflow, for every construct Baton executes (issue #15): the
// shipped workflows, the demo contract (boundaries, a schedule, an event-based gateway, messages)
// and a workflow for each time and event construct. The export writes what docs/bpmn-export.md
// says; these pass once the import reads it back (branch bpmn-in). The author's drawing comes
// back too: the import keeps the file's BPMNDI as the workflow's layout.
import { describe, expect, it } from "vitest";
import { exportBpmn } from "../../../src/bpmn/export.ts";
import { importBpmn } from "../../../src/bpmn/import.ts";
import { storedLayoutOf } from "../../../src/diagram/stored-layout.ts";
import {
	allNodes,
	allTransitions,
	compileWorkflow,
	type NodeDefinition,
	type TransitionDefinition,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";
import { boundaries, messages, timeAndEvents } from "../../fixtures/bpmn/time-and-events.ts";

async function roundTrip(def: WorkflowDefinition): Promise<WorkflowDefinition> {
	const result = await importBpmn(await exportBpmn(def));
	if (!result.ok) throw new Error(JSON.stringify(result.problems, null, 2));
	return result.definition;
}

/**
 * A definition as behaviour sees it: what is at its default is left out (an interrupting boundary,
 * a parallel multi-instance, a success route), a join or a split only where several transitions
 * meet (an event split always); the drawing apart (see the layout tests below), and the `$schema`
 * a JSON file names for editors.
 */
function meaningOf(def: WorkflowDefinition): unknown {
	const {
		layout: _drawing,
		version: _version,
		...rest
	} = def as WorkflowDefinition & {
		$schema?: string;
	};
	delete rest.$schema;
	return {
		...rest,
		nodes: graph(def.nodes, def.transitions),
		transitions: routes(def.transitions),
	};
}

function graph(nodes: readonly NodeDefinition[], transitions: readonly TransitionDefinition[]) {
	const count = (side: "from" | "to", key: string) =>
		transitions.filter((t) => t[side] === key).length;
	return nodes.map((n) => {
		const { join, split, interrupting, inline, start, end, multiInstance, ...rest } = n;
		const node: Record<string, unknown> = { ...rest };
		if (count("to", n.key) > 1) node.join = join ?? "and";
		if (count("from", n.key) > 1 || split === "event") node.split = split ?? "and";
		if (interrupting === false) node.interrupting = false;
		if (inline) node.inline = true;
		if (start) node.start = true;
		if (end) node.end = true;
		if (multiInstance) {
			const { sequential, ...m } = multiInstance;
			node.multiInstance = sequential ? { ...m, sequential } : m;
		}
		if (n.nodes) node.nodes = graph(n.nodes, n.transitions ?? []);
		if (n.transitions) node.transitions = routes(n.transitions);
		return node;
	});
}

function routes(transitions: readonly TransitionDefinition[]) {
	return transitions.map(({ on, ...t }) => (on === "failure" ? { ...t, on } : t));
}

const contract = shippedWorkflows.find((w) => w.key === "supplier-contract") as WorkflowDefinition;

describe("BPMN round trip of the time and event constructs", () => {
	for (const def of [...shippedWorkflows, ...timeAndEvents]) {
		it(`imports the export of "${def.key}" back to the same workflow, which compiles`, async () => {
			const back = await roundTrip(def);
			expect(meaningOf(back)).toEqual(meaningOf(def));
			expect(compileWorkflow(back, taskCatalog).ok).toBe(true);
		});
	}

	it("keeps the demo contract's boundaries, due dates, schedule, event split and message", async () => {
		const back = await roundTrip(contract);
		const node = (key: string) => back.nodes.find((n) => n.key === key);
		expect(node("reminder")).toMatchObject({
			attachedTo: "approve",
			interrupting: false,
			task: "wait",
			params: { cycle: "R3/PT4H" },
		});
		expect(node("escalation")).toMatchObject({ attachedTo: "approve", params: { at: "due" } });
		expect(node("approve")?.due).toBe("P2D");
		expect(node("awaitSignature")?.split).toBe("event");
		expect(node("signed")?.params).toEqual({
			message: "contract-signed",
			correlationKey: "= process.id",
		});
		expect(back.schedules).toEqual(contract.schedules);
	});
});

describe("BPMN round trip of the drawing", () => {
	it("keeps the export's diagram as the layout of the imported workflow", async () => {
		for (const def of [contract, boundaries, messages]) {
			const back = await roundTrip(def);
			expect(storedLayoutOf(back), def.key).toBeDefined();
		}
	});

	it("gives back the author's drawing it was exported with", async () => {
		const nodes: NonNullable<WorkflowDefinition["layout"]>["nodes"] = {};
		allNodes(messages).forEach((n, i) => {
			nodes[n.key] = { x: 200 + 150 * i, y: 100 + (i % 2) * 120, width: 100, height: 80 };
		});
		const transitions: Record<string, { x: number; y: number }[]> = {};
		allTransitions(messages).forEach((t, i) => {
			const a = nodes[t.from];
			const b = nodes[t.to];
			if (!a || !b) return;
			transitions[String(i)] = [
				{ x: a.x + a.width, y: a.y + 40 },
				{ x: a.x + a.width + 20, y: b.y + 40 },
				{ x: b.x, y: b.y + 40 },
			];
		});
		const drawn = { ...messages, layout: { nodes, transitions } };
		const back = await roundTrip(drawn);
		expect(back.layout).toEqual(drawn.layout);
		expect(meaningOf(back)).toEqual(meaningOf(drawn));
	});
});
