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
import type { WorkflowDefinition } from "../../../src/engine/index.ts";

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
		const next = updateNode(draft(), "b", {
			key: "middle",
			task: "ask",
			params: { questions: {} },
		});
		expect(next.nodes.map((n) => n.key)).toEqual(["a", "middle", "c"]);
		expect(next.transitions).toEqual([
			{ from: "a", to: "middle", condition: 4 },
			{ from: "a", to: "c" },
			{ from: "middle", to: "c" },
		]);
	});

	it("refuses a rename onto another node's key, and an unknown node", () => {
		expect(() => updateNode(draft(), "b", { key: "c", task: "dummy" })).toThrow(
			/already a node "c"/,
		);
		expect(() => updateNode(draft(), "zz", { key: "zz", task: "dummy" })).toThrow(/no node "zz"/);
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
});
