import { describe, expect, it } from "vitest";
import {
	NODE_FORM_FIELDS,
	postedText,
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
				node: {
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
				replaces: NODE_FORM_FIELDS,
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

	it("B1 H1 M1 E1 reads a boundary event, due dates, once per item and an event-based split", () => {
		const read = readNodeForm(
			{
				key: "remind",
				task: "wait",
				params_type: "wait",
				"param.cycle": "R3/PT1H",
				attachedTo: "review",
				interrupting: "false",
				due: "P2D",
				followUp: "= params.followUp",
				multiItems: "",
				split: "event",
			},
			taskCatalog,
		);
		expect(read.ok && read.value.node).toEqual({
			key: "remind",
			task: "wait",
			split: "event",
			params: { cycle: "R3/PT1H" },
			attachedTo: "review",
			interrupting: false,
			due: "P2D",
			followUp: "= params.followUp",
		});
		const many = readNodeForm(
			{
				key: "approve",
				task: "question",
				multiItems: "= params.approvers",
				multiAs: "approver",
				multiSequential: "true",
				multiCompletion: "count(results[item.approved = true]) >= 2",
			},
			taskCatalog,
		);
		expect(many.ok && many.value.node.multiInstance).toEqual({
			items: "= params.approvers",
			as: "approver",
			sequential: true,
			completion: "count(results[item.approved = true]) >= 2",
		});
	});

	it("B2 writes interrupting: false only for a boundary whose box is unchecked", () => {
		// The page sends a hidden "false" and then, when checked, the box's "true": the last wins.
		const checked = postedText({
			key: "late",
			task: "wait",
			attachedTo: "a",
			interrupting: ["false", "true"],
		});
		const unchecked = postedText({
			key: "late",
			task: "wait",
			attachedTo: "a",
			interrupting: "false",
		});
		const node = (posted: Record<string, string | undefined>) => {
			const read = readNodeForm(posted, taskCatalog);
			return read.ok ? read.value.node : undefined;
		};
		expect(node(checked)).toEqual({ key: "late", task: "wait", attachedTo: "a" });
		expect(node(unchecked)?.interrupting).toBe(false);
		// A post without the field (a script, an older page) keeps the default.
		expect(node({ key: "late", task: "wait", attachedTo: "a" })?.interrupting).toBeUndefined();
		// Not a boundary: the box means nothing and nothing is written.
		expect(node({ key: "late", task: "wait", interrupting: "false" })).toEqual({
			key: "late",
			task: "wait",
		});
	});

	it("refuses each misused time or event field with a message next to it", () => {
		const read = readNodeForm(
			{
				key: "a",
				task: "dummy",
				attachedTo: "a",
				due: "two days",
				followUp: "= (1 +",
				multiAs: "the item",
				split: "any",
			},
			taskCatalog,
		);
		expect(read.ok ? {} : read.errors).toEqual({
			attachedTo: "A node cannot be a boundary event of itself.",
			due: 'Write a duration from when the task is created ("P2D", "4h", "PT30M") or "= FEEL" giving a date or a duration.',
			followUp: expect.stringMatching(/^FEEL expression does not parse: /),
			multiItems:
				"Give the list to run once per item of, or clear the other “once per item” fields.",
			multiAs: "A param name is a letter or _, then letters, digits or _ (64 at most).",
			split: "Choose AND, XOR or event-based.",
		});
		const feel = readNodeForm(
			{ key: "a", task: "dummy", multiItems: "= [1, 2", multiCompletion: "= completed >" },
			taskCatalog,
		);
		expect(Object.keys(feel.ok ? {} : feel.errors)).toEqual(["multiItems", "multiCompletion"]);
	});

	it("C1 reads a scope's inner graph when the scope's fields were shown, and says what is wrong with it", () => {
		const graph = {
			nodes: [{ key: "pick", task: "dummy", start: true, end: true }],
			transitions: [],
		};
		const read = readNodeForm(
			{ key: "group", task: "scope", params_type: "scope", innerGraph: JSON.stringify(graph) },
			taskCatalog,
		);
		expect(read.ok && read.value).toEqual({
			node: { key: "group", task: "scope", ...graph },
			replaces: [...NODE_FORM_FIELDS, "nodes", "transitions"],
		});
		// Shown for another type (a task select changed without JavaScript): the graph is not the form's.
		const other = readNodeForm({ key: "group", task: "scope", params_type: "dummy" }, taskCatalog);
		expect(other.ok && other.value.replaces).toEqual(NODE_FORM_FIELDS);
		const error = (innerGraph: string) => {
			const r = readNodeForm(
				{ key: "group", task: "scope", params_type: "scope", innerGraph },
				taskCatalog,
			);
			return r.ok ? undefined : r.errors.innerGraph;
		};
		expect(error('{"nodes": [')).toMatch(/^This is not valid JSON: /);
		expect(error("[]")).toMatch(/^Write a JSON object with "nodes" and "transitions"/);
		expect(error('{"nodes": [], "due": "P1D"}')).toBe(
			'Only "nodes" and "transitions" go here, not "due": the scope\'s own settings are the fields above.',
		);
		expect(error('{"nodes": [{"key": "pick"}]}')).toBe(
			'"nodes" is a list of objects, each with a "key" and a "task".',
		);
		expect(error('{"nodes": [], "transitions": [{"from": "a"}]}')).toBe(
			'"transitions" is a list of objects, each with "from" and "to".',
		);
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
		const schedules = [{ cron: "0 9 * * 1-5", timezone: "Europe/Madrid" }];
		expect(readSettingsForm({ name: "W", schedules: JSON.stringify(schedules) })).toEqual({
			ok: true,
			value: { name: "W", schedules },
		});
		expect(readSettingsForm({ name: "W", schedules: '{"cron": "0 9 * * *"}' })).toEqual({
			ok: false,
			errors: {
				schedules:
					'Write a JSON list, e.g. [{"cron": "0 9 * * 1-5", "timezone": "Europe/Madrid"}].',
			},
		});
		const bad = readSettingsForm({ name: "", params: "{", stepBudget: "0", schedules: "[" });
		expect(bad.ok ? [] : Object.keys(bad.errors).sort()).toEqual([
			"name",
			"params",
			"schedules",
			"stepBudget",
		]);
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
