import { describe, expect, it } from "vitest";
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
} from "../../../src/admin/draft-edit.ts";
import { NODE_FORM_FIELDS } from "../../../src/admin/draft-forms.ts";
import type { NodeDefinition, WorkflowDefinition } from "../../../src/engine/index.ts";

/** A node as the node form gives it: the form answers for its own fields. */
const fromForm = (node: NodeDefinition) => ({ node, replaces: NODE_FORM_FIELDS });

const draft = (): WorkflowDefinition => ({
	key: "w",
	name: "W",
	nodes: [
		{ key: "a", task: "dummy", start: true, split: "xor" },
		{ key: "b", task: "dummy" },
		{ key: "c", task: "dummy", end: true },
	],
	transitions: [
		{ from: "a", to: "b", condition: 4 },
		{ from: "a", to: "c" },
		{ from: "b", to: "c" },
	],
});

describe("draft editing", () => {
	it("adds a node at the end, dropping what only restates a default", () => {
		const next = addNode(draft(), { key: "d", task: "dummy", start: false, name: "", params: {} });
		expect(next.nodes.at(-1)).toEqual({ key: "d", task: "dummy" });
	});

	it("refuses a second node with the same key (D1), naming the field", () => {
		expect(() => addNode(draft(), { key: "b", task: "dummy" })).toThrow(DraftEditError);
		try {
			addNode(draft(), { key: "b", task: "dummy" });
		} catch (e) {
			expect((e as DraftEditError).field).toBe("key");
		}
	});

	it("renames a node in place, and every transition from or to it follows", () => {
		const next = updateNode(
			draft(),
			"b",
			fromForm({ key: "middle", task: "ask", params: { questions: {} } }),
		);
		expect(next.nodes.map((n) => n.key)).toEqual(["a", "middle", "c"]);
		expect(next.transitions).toEqual([
			{ from: "a", to: "middle", condition: 4 },
			{ from: "a", to: "c" },
			{ from: "middle", to: "c" },
		]);
	});

	it("refuses a rename onto another node's key, and an unknown node", () => {
		expect(() => updateNode(draft(), "b", fromForm({ key: "c", task: "dummy" }))).toThrow(
			/already a node "c"/,
		);
		expect(() => updateNode(draft(), "zz", fromForm({ key: "zz", task: "dummy" }))).toThrow(
			/no node "zz"/,
		);
	});

	it("removes a node with its transitions", () => {
		const next = removeNode(draft(), "b");
		expect(next.nodes.map((n) => n.key)).toEqual(["a", "c"]);
		expect(next.transitions).toEqual([{ from: "a", to: "c" }]);
	});

	it("adds, changes and removes transitions; a false literal condition is kept, on: success is not", () => {
		let next = addTransition(draft(), { from: "c", to: "a", condition: false, on: "success" });
		expect(next.transitions.at(-1)).toEqual({ from: "c", to: "a", condition: false });
		next = updateTransition(next, 0, { from: "a", to: "b", on: "failure" });
		expect(next.transitions[0]).toEqual({ from: "a", to: "b", on: "failure" });
		next = removeTransition(next, 0);
		expect(next.transitions).toHaveLength(3);
		expect(() => removeTransition(next, 7)).toThrow(DraftEditError);
	});

	it("R2 moves a transition earlier or later in definition order, and not past either end", () => {
		const up = moveTransition(draft(), 1, -1);
		expect(up.transitions.map((t) => t.to)).toEqual(["c", "b", "c"]);
		expect(moveTransition(draft(), 0, -1)).toEqual(draft());
		expect(moveTransition(draft(), 2, 1)).toEqual(draft());
	});

	it("C1 keeps what the form does not show: a scope's inner graph, in its place in the JSON", () => {
		const inner = {
			nodes: [{ key: "pick", task: "dummy", start: true, end: true }],
			transitions: [],
		};
		const def: WorkflowDefinition = {
			...draft(),
			nodes: [...draft().nodes, { key: "group", task: "scope", ...inner, due: "P1D" }],
		};
		const next = updateNode(def, "group", fromForm({ key: "group", name: "Group", task: "scope" }));
		const saved = next.nodes.at(-1);
		// The form showed the due date and sent none: it is cleared; the graph it did not show stays.
		expect(saved).toEqual({ key: "group", task: "scope", ...inner, name: "Group" });
		expect(Object.keys(saved ?? {})).toEqual(["key", "task", "nodes", "transitions", "name"]);
		// A form that shows the graph (a scope's fields) replaces it.
		const emptied = updateNode(def, "group", {
			node: { key: "group", task: "scope" },
			replaces: [...NODE_FORM_FIELDS, "nodes", "transitions"],
		});
		expect(emptied.nodes.at(-1)).toEqual({ key: "group", task: "scope" });
	});

	it("B1 a renamed host takes its boundary events along", () => {
		const def: WorkflowDefinition = {
			...draft(),
			nodes: [
				...draft().nodes,
				{ key: "late", task: "wait", attachedTo: "b", params: { duration: "1h" } },
			],
			transitions: [...draft().transitions, { from: "late", to: "c" }],
		};
		const next = updateNode(def, "b", fromForm({ key: "work", task: "dummy" }));
		expect(next.nodes.find((n) => n.key === "late")?.attachedTo).toBe("work");
		expect(next.transitions.at(-1)).toEqual({ from: "late", to: "c" });
	});

	it("keeps the author's drawing through edits: a renamed node's box, each transition's waypoints", () => {
		const box = (x: number) => ({ x, y: 0, width: 100, height: 80 });
		const way = (x: number) => [
			{ x, y: 40 },
			{ x: x + 50, y: 40 },
		];
		const def: WorkflowDefinition = {
			...draft(),
			layout: {
				nodes: { a: box(0), b: box(200), c: box(400) },
				transitions: { "0": way(100), "1": way(110), "2": way(300) },
			},
		};
		const renamed = updateNode(def, "b", fromForm({ key: "middle", task: "dummy" }));
		expect(renamed.layout?.nodes).toEqual({ a: box(0), c: box(400), middle: box(200) });
		expect(removeTransition(def, 0).layout?.transitions).toEqual({ "0": way(110), "1": way(300) });
		expect(moveTransition(def, 1, 1).layout?.transitions).toEqual({
			"0": way(100),
			"1": way(300),
			"2": way(110),
		});
		const added = addTransition(def, { from: "b", to: "a" });
		expect(added.layout?.transitions).toEqual(def.layout?.transitions);
		const removed = removeNode(def, "b");
		expect(removed.layout).toEqual({
			nodes: { a: box(0), c: box(400) },
			transitions: { "0": way(110) },
		});
	});

	it("B1 refuses to delete a node that has boundary events, naming them; a boundary itself goes", () => {
		const def: WorkflowDefinition = {
			...draft(),
			nodes: [
				...draft().nodes,
				{ key: "late", task: "wait", attachedTo: "b", params: { duration: "1h" } },
				{ key: "failed", task: "error", attachedTo: "b" },
			],
			transitions: [...draft().transitions, { from: "late", to: "c" }],
		};
		expect(() => removeNode(def, "b")).toThrow(
			'The node "b" has boundary events "late", "failed": delete them or attach them to another node first.',
		);
		const next = removeNode(removeNode(def, "late"), "failed");
		expect(next.nodes.map((n) => n.key)).toEqual(["a", "b", "c"]);
		expect(next.transitions).toEqual(draft().transitions);
		expect(removeNode(next, "b").nodes.map((n) => n.key)).toEqual(["a", "c"]);
	});

	it("replaces the settings and removes the ones left empty", () => {
		const withAll = setSettings(draft(), {
			name: "New",
			description: "text",
			params: { region: "EU" },
			priority: 2,
			stepBudget: 40,
			roles: [{ key: "staff" }],
		});
		expect(withAll).toMatchObject({
			name: "New",
			params: { region: "EU" },
			priority: 2,
			stepBudget: 40,
		});
		const cleared = setSettings(withAll, { name: "New" });
		expect(cleared).toEqual({ ...draft(), name: "New" });
	});

	it("Q1 saves the schedules with the settings, and keeps a workflow field the form does not show", () => {
		const schedules = [{ cron: "0 9 * * 1-5", timezone: "Europe/Madrid" }];
		const withSchedules = setSettings(draft(), { name: "W", schedules });
		expect(withSchedules.schedules).toEqual(schedules);
		expect(setSettings(withSchedules, { name: "W", schedules: [] }).schedules).toBeUndefined();
		const future = { ...draft(), sla: { hours: 4 } } as WorkflowDefinition;
		expect(setSettings(future, { name: "W" })).toEqual({ ...future, name: "W" });
	});
});
