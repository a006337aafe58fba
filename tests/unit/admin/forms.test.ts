import { describe, expect, it } from "vitest";
import {
	readNodeForm,
	readRoles,
	readSettingsForm,
	readTransitionForm,
	showRoles,
} from "../../../src/admin/draft-forms.ts";
import { paramFieldsFor, readParams } from "../../../src/admin/node-params.ts";
import { placeOf, problemViews } from "../../../src/admin/problems.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";

const spec = (name: string) => {
	const s = taskCatalog.get(name);
	if (!s) throw new Error(name);
	return s;
};

describe("the params form of a task type", () => {
	it("has one field per schema property, typed from the schema, none required to save (T2)", () => {
		const fields = paramFieldsFor(spec("http"), { url: "https://x.example", headers: { A: "1" } });
		expect(fields.map((f) => [f.name, f.kind, f.neededToRun])).toEqual([
			["method", "select", false],
			["url", "text", true],
			["headers", "json", false],
			["body", "json", false],
			["timeoutMs", "integer", false],
		]);
		expect(fields.find((f) => f.name === "method")).toMatchObject({
			options: ["GET", "POST", "PUT", "PATCH", "DELETE"],
			placeholder: "GET",
		});
		expect(fields.find((f) => f.name === "headers")?.value).toBe('{\n  "A": "1"\n}');
		expect(fields.find((f) => f.name === "timeoutMs")).toMatchObject({
			min: 100,
			max: 60000,
			label: "Timeout (ms)",
		});
	});

	it("reads the fields back typed; empty means unset; other params come from the JSON box", () => {
		const read = readParams(spec("http"), {
			"param.method": "POST",
			"param.url": " https://x.example ",
			"param.timeoutMs": "500",
			"param.body": '{"n": 1}',
			"param.headers": "",
			params_extra: '{"region": "EU"}',
		});
		expect(read).toEqual({
			params: {
				region: "EU",
				method: "POST",
				url: "https://x.example",
				timeoutMs: 500,
				body: { n: 1 },
			},
			errors: {},
		});
	});

	it("names each field it cannot read", () => {
		const read = readParams(spec("add"), { "param.a": "1.5", "param.b": "x", params_extra: "[1]" });
		expect(read.errors).toEqual({
			"param.a": "First number: write a whole number.",
			"param.b": "Second number: write a number.",
			params_extra: 'Write a JSON object, e.g. {"region": "EU"}.',
		});
	});
});

describe("the editor's forms", () => {
	it("reads a node, its flags, join, split and priority", () => {
		const read = readNodeForm(
			{
				key: "review",
				name: "Review",
				role: "staff",
				task: "add",
				params_type: "add",
				"param.a": "2",
				start: "on",
				join: "or",
				split: "xor",
				priority: "3",
			},
			taskCatalog,
		);
		expect(read).toEqual({
			ok: true,
			value: {
				key: "review",
				name: "Review",
				role: "staff",
				task: "add",
				start: true,
				join: "or",
				split: "xor",
				priority: 3,
				params: { a: 2 },
			},
		});
	});

	it("refuses a bad key, role, join and priority with a message per field", () => {
		const read = readNodeForm(
			{ key: "1x", role: "a b", task: "dummy", join: "any", priority: "12" },
			taskCatalog,
		);
		expect(read.ok).toBe(false);
		if (read.ok) return;
		expect(Object.keys(read.errors).sort()).toEqual(["join", "key", "priority", "role"]);
	});

	it("keeps the type of an unchanged literal condition (R1) and marks failure routes (R3)", () => {
		expect(
			readTransitionForm(
				{ from: "a", to: "b", condition: "4" },
				{ from: "a", to: "b", condition: 4 },
			),
		).toEqual({
			ok: true,
			value: { from: "a", to: "b", condition: 4 },
		});
		expect(
			readTransitionForm(
				{ from: "a", to: "b", condition: "5", on: "failure" },
				{ from: "a", to: "b", condition: 4 },
			),
		).toEqual({
			ok: true,
			value: { from: "a", to: "b", condition: "5", on: "failure" },
		});
		expect(readTransitionForm({ from: "", to: "b" })).toMatchObject({
			ok: false,
			errors: { from: "Choose the node it leaves." },
		});
	});

	it("reads the settings: roles one per line, params as a JSON object", () => {
		expect(
			readSettingsForm({
				name: "W",
				params: '{"a": 1}',
				roles: "staff: Staff\n\nboss",
				stepBudget: "20",
			}),
		).toEqual({
			ok: true,
			value: {
				name: "W",
				params: { a: 1 },
				roles: [{ key: "staff", name: "Staff" }, { key: "boss" }],
				stepBudget: 20,
			},
		});
		const bad = readSettingsForm({ name: "", params: "{", stepBudget: "0" });
		expect(bad.ok ? [] : Object.keys(bad.errors).sort()).toEqual(["name", "params", "stepBudget"]);
		const errors: Record<string, string> = {};
		readRoles("ok\n2bad", errors);
		expect(errors.roles).toMatch(/^Line 2/);
		expect(
			showRoles([
				{ key: "staff", name: "Staff" },
				{ key: "boss", name: "boss" },
			]),
		).toBe("staff: Staff\nboss");
	});
});

describe("problems in the editor", () => {
	it("D2 places each problem next to the node, transition or setting its path names", () => {
		expect(placeOf("nodes[2].params.url")).toEqual({ kind: "node", index: 2, field: "params.url" });
		expect(placeOf("transitions[0]")).toEqual({ kind: "transition", index: 0, field: "" });
		expect(placeOf("nodes")).toEqual({ kind: "workflow", field: "nodes" });
		const views = problemViews(
			{
				key: "w",
				name: "W",
				nodes: [{ key: "a", name: "Ask", task: "x" }],
				transitions: [{ from: "a", to: "b" }],
			},
			[
				{ code: "NO_END_NODE", path: "nodes", message: "no end", severity: "warning" },
				{ code: "UNKNOWN_TASK_TYPE", path: "nodes[0].task", message: "unknown", severity: "error" },
				{ code: "UNKNOWN_NODE", path: "transitions[0].to", message: "missing", severity: "error" },
			],
		);
		expect(views.map((v) => [v.where, v.href, v.severity])).toEqual([
			['Node "Ask", task', "#node-0", "error"],
			["Transition 1 (a → b), to", "#transition-0", "error"],
			["Nodes", "#nodes", "warning"],
		]);
	});
});

describe("staffing in the editor", () => {
	it("T3 warns about a node whose role is unknown to Baton or has nobody active in it", async () => {
		const { staffingWarnings } = await import("../../../src/admin/editor-view.ts");
		const def = {
			key: "w",
			name: "W",
			nodes: [
				{ key: "a", task: "dummy", role: "staff" },
				{ key: "b", task: "dummy", role: "ghosts" },
				{ key: "c", task: "dummy", role: "empty" },
				{ key: "d", task: "dummy" },
			],
			transitions: [],
		};
		const warnings = staffingWarnings(def, [
			{ key: "staff", name: "Staff", activeMembers: 2 },
			{ key: "empty", name: "Empty", activeMembers: 0 },
		]);
		expect(warnings.map((w) => [w.code, w.path, w.severity])).toEqual([
			["UNKNOWN_ROLE", "nodes[1].role", "warning"],
			["ROLE_WITHOUT_MEMBERS", "nodes[2].role", "warning"],
		]);
		expect(staffingWarnings(def, [{ key: "staff", name: "Staff" }])).toEqual([]);
	});
});
