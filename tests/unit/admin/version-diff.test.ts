import { describe, expect, it } from "vitest";
import { diffDefinitions } from "../../../src/admin/version-diff.ts";
import type { WorkflowDefinition } from "../../../src/engine/index.ts";

const v1: WorkflowDefinition = {
	key: "w",
	name: "Purchase",
	params: { region: "EU" },
	roles: [{ key: "staff", name: "Staff" }],
	nodes: [
		{ key: "ask", task: "ask", start: true, split: "xor", params: { questions: {} } },
		{ key: "ok", task: "dummy", end: true },
		{ key: "no", task: "dummy", end: true },
	],
	transitions: [
		{ from: "ask", to: "ok", condition: "yes" },
		{ from: "ask", to: "no", condition: "no" },
	],
};

describe("version diff", () => {
	it("finds no change between a definition and itself, defaults spelled out or not", () => {
		const same = {
			...v1,
			nodes: v1.nodes.map((n) => (n.key === "ok" ? { ...n, join: "and" as const } : n)),
		};
		expect(diffDefinitions(v1, same).isEmpty).toBe(true);
	});

	it("lists settings, params and roles that changed, field by field", () => {
		const v2 = {
			...v1,
			name: "Purchases",
			params: { region: "US", limit: 5 },
			roles: [{ key: "staff", name: "Team" }],
		};
		expect(diffDefinitions(v1, v2).workflow).toEqual([
			{ field: "name", before: "Purchase", after: "Purchases" },
			{ field: "params.region", before: "EU", after: "US" },
			{ field: "params.limit", after: "5" },
			{ field: "roles.staff", before: "Staff", after: "Team" },
		]);
	});

	it("lists nodes added, removed and changed (by key), with their changed fields", () => {
		const v2: WorkflowDefinition = {
			...v1,
			nodes: [
				{
					key: "ask",
					task: "ask",
					start: true,
					split: "xor",
					role: "staff",
					params: { questions: { a: { label: "A" } } },
				},
				{ key: "ok", task: "dummy", end: true },
				{ key: "audit", task: "dummy", end: true },
			],
			transitions: v1.transitions,
		};
		const diff = diffDefinitions(v1, v2);
		expect(diff.nodes.added.map((n) => n.key)).toEqual(["audit"]);
		expect(diff.nodes.removed.map((n) => n.key)).toEqual(["no"]);
		expect(diff.nodes.changed).toEqual([
			{
				key: "ask",
				name: "ask",
				changes: [
					{ field: "role", after: "staff" },
					{ field: "params.questions", before: "{}", after: '{"a":{"label":"A"}}' },
				],
			},
		]);
	});

	it("R2 lists transitions by their (from, to) pair, their changed conditions, and a new order", () => {
		const v2: WorkflowDefinition = {
			...v1,
			transitions: [
				{ from: "ask", to: "no", condition: '= result.answer = "no"' },
				{ from: "ask", to: "ok", condition: "yes" },
				{ from: "ok", to: "no", on: "failure" },
			],
		};
		const diff = diffDefinitions(v1, v2);
		expect(diff.transitions.added).toEqual([{ from: "ok", to: "no", on: "failure" }]);
		expect(diff.transitions.removed).toEqual([]);
		expect(diff.transitions.changed).toEqual([
			{
				from: "ask",
				to: "no",
				changes: [{ field: "condition", before: "no", after: '= result.answer = "no"' }],
			},
		]);
		expect(diff.transitions.reordered).toBe(true);
		expect(diff.isEmpty).toBe(false);
	});
});
