import { describe, expect, it } from "vitest";
import { updateNode } from "../../../src/admin/draft-edit.ts";
import { postedText, readNodeForm } from "../../../src/admin/draft-forms.ts";
import {
	editorView,
	type NodeFormView,
	postedNodeForm,
	postedSettingsForm,
	settingsValues,
} from "../../../src/admin/editor-view.ts";
import { problemViews } from "../../../src/admin/problems.ts";
import type { WorkflowDefinition } from "../../../src/engine/index.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";

/** A workflow with every time-and-event construct the node form offers. */
const orders = (): WorkflowDefinition => ({
	key: "orders",
	name: "Orders",
	nodes: [
		{
			key: "order",
			name: "Handle the order",
			task: "scope",
			start: true,
			nodes: [
				{ key: "pick", name: "Pick", task: "dummy", start: true },
				{
					key: "pack",
					task: "scope",
					nodes: [{ key: "box", task: "dummy", start: true, end: true }],
					transitions: [],
				},
				{ key: "out", task: "error", end: true, params: { code: "OUT_OF_STOCK" } },
				{ key: "packed", task: "dummy", end: true },
			],
			transitions: [
				{ from: "pick", to: "pack" },
				{ from: "pack", to: "packed" },
			],
		},
		{
			key: "review",
			name: "Review",
			task: "question",
			params: { title: "Ship it?" },
			due: "P2D",
			followUp: "= params.followUp",
			multiInstance: {
				items: "= params.reviewers",
				as: "reviewer",
				sequential: true,
				completion: '= count(results[item = "yes"]) >= 2',
			},
		},
		{
			key: "remind",
			name: "Remind",
			task: "wait",
			attachedTo: "review",
			interrupting: false,
			params: { cycle: "R3/PT1H" },
		},
		{ key: "escalate", task: "wait", attachedTo: "review", params: { at: "due" } },
		{
			key: "paid",
			task: "message",
			attachedTo: "order",
			params: { message: "payment", correlationKey: "= params.orderId" },
		},
		{ key: "failed", task: "error", attachedTo: "order", params: { code: "OUT_OF_STOCK" } },
		{ key: "choose", task: "dummy", split: "event" },
		{
			key: "notify",
			task: "send",
			params: { message: "shipped", correlationKey: "= params.orderId", payload: { ok: true } },
		},
		{ key: "done", task: "dummy", end: true, join: "xor" },
	],
	transitions: [
		{ from: "order", to: "review" },
		{ from: "review", to: "done" },
		{ from: "escalate", to: "done" },
	],
});

/** The fields a browser sends for a node form as the editor shows it (checked boxes only). */
function postedFrom(form: NodeFormView): Record<string, string> {
	const v = form.values;
	const posted: Record<string, string> = {
		key: v.key,
		name: v.name,
		description: v.description,
		role: v.role,
		task: v.task,
		join: v.join,
		split: v.split,
		priority: v.priority,
		editable: v.editable,
		attachedTo: v.attachedTo,
		// The hidden "false", then the box's "true" when it is checked: the last one arrives.
		interrupting: v.interrupting ? "true" : "false",
		due: v.due,
		followUp: v.followUp,
		multiItems: v.multiItems,
		multiAs: v.multiAs,
		multiCompletion: v.multiCompletion,
		params_type: form.paramsType,
		params_extra: form.extraParams,
	};
	for (const flag of ["start", "end", "inline", "multiSequential"] as const) {
		if (v[flag]) posted[flag] = "true";
	}
	for (const field of form.paramFields) posted[`param.${field.name}`] = field.value;
	if (form.paramsType === "scope") posted.innerGraph = v.innerGraph;
	return posted;
}

const viewOf = (def: WorkflowDefinition) =>
	editorView({
		key: def.key,
		latestVersion: null,
		draft: { definition: def, basedOn: null, revision: 1, savedAt: 0, savedBy: null },
		catalog: taskCatalog,
		knownRoles: [],
	});

describe("the editor's node forms and time and events", () => {
	it("C1 B1 H1 M1 a node saved through its form as shown comes back unchanged, scope graphs included", () => {
		const def = orders();
		const view = viewOf(def);
		for (const form of view.nodes) {
			const read = readNodeForm(postedFrom(form), taskCatalog);
			if (!read.ok) throw new Error(`${form.originalKey}: ${JSON.stringify(read.errors)}`);
			expect(updateNode(def, form.originalKey, read.value)).toEqual(def);
		}
	});

	it("C1 a scope edited through the form keeps its inner graph when another type's fields were shown", () => {
		const def = orders();
		const form = viewOf(def).nodes[0] as NodeFormView;
		// Without JavaScript the task select changed and came back: the dummy fields were shown.
		const { innerGraph: _notShown, ...shown } = postedFrom(form);
		const posted = { ...shown, params_type: "dummy", name: "The order" };
		const read = readNodeForm(posted, taskCatalog);
		if (!read.ok) throw new Error(JSON.stringify(read.errors));
		const saved = updateNode(def, "order", read.value).nodes[0];
		expect(saved).toEqual({ ...def.nodes[0], name: "The order" });
	});

	it("B1 B2 H1 M1 E1 C1 N1 N2 X1 says in words what each node waits for, when it is due and how often it runs", () => {
		const facts = Object.fromEntries(viewOf(orders()).nodes.map((n) => [n.originalKey, n.facts]));
		expect(facts).toEqual({
			order: [
				'Boundary events: paid (the message "payment"), failed (the error OUT_OF_STOCK)',
				"Group of 4 inner steps",
			],
			review: [
				"Boundary events: Remind (a timer every 1 h, 3 times, without interrupting), escalate (a timer at its due date)",
				"Due 2 days after it is created",
				"Follow up as = params.followUp says",
				'Once per item of params.reviewers (as reviewer), one after another; done when count(results[item = "yes"]) >= 2',
			],
			remind: ["Boundary event of Review: a timer every 1 h, 3 times; does not interrupt it"],
			escalate: ["Boundary event of Review: a timer at its due date; interrupts it"],
			paid: ['Boundary event of Handle the order: the message "payment"; interrupts it'],
			failed: ["Boundary event of Handle the order: the error OUT_OF_STOCK; interrupts it"],
			choose: ["Event-based: the first wait to happen wins"],
			notify: ['Sends the message "shipped"'],
			done: [],
		});
	});

	it("C1 shows a scope's inner nodes under it, nested scopes indented again", () => {
		const order = viewOf(orders()).nodes[0] as NodeFormView;
		expect(order.inner).toEqual([
			{ key: "pick", title: "Pick", task: "dummy", facts: ["start"], inner: [] },
			{
				key: "pack",
				title: "pack",
				task: "scope",
				facts: ["Group of 1 inner step"],
				inner: [{ key: "box", title: "box", task: "dummy", facts: ["start", "end"], inner: [] }],
			},
			{
				key: "out",
				title: "out",
				task: "error",
				facts: ["end", 'Ends with the error "OUT_OF_STOCK"'],
				inner: [],
			},
			{ key: "packed", title: "packed", task: "dummy", facts: ["end"], inner: [] },
		]);
		expect(JSON.parse(order.values.innerGraph)).toEqual({
			nodes: orders().nodes[0]?.nodes,
			transitions: orders().nodes[0]?.transitions,
		});
		// A node with no inner graph shows an empty field, not an empty graph.
		expect(viewOf(orders()).nodes[1]?.values.innerGraph).toBe("");
	});

	it("keeps a form to correct as typed: an unchecked interrupting box, the scope's graph", () => {
		const view = viewOf(orders());
		const shown = view.nodes[0] as NodeFormView;
		const again = postedNodeForm(
			shown,
			postedText({ key: "order", task: "scope", attachedTo: "x", interrupting: "false" }),
			taskCatalog,
			{ key: "wrong" },
		);
		expect(again.values).toMatchObject({ attachedTo: "x", interrupting: false });
		// The graph was not posted (another type's fields were shown): the node's own is kept.
		expect(again.values.innerGraph).toBe(shown.values.innerGraph);
		const typed = postedNodeForm(
			shown,
			{ key: "order", task: "scope", params_type: "scope", innerGraph: "{" },
			taskCatalog,
			{ innerGraph: "bad" },
		);
		expect(typed.values.innerGraph).toBe("{");
		expect(typed.values.interrupting).toBe(true);
	});

	it("Q1 shows the schedules as JSON in the settings form, and keeps them as typed", () => {
		const schedules = [{ cron: "0 9 * * 1-5", timezone: "Europe/Madrid" }];
		const def = { ...orders(), schedules };
		expect(JSON.parse(settingsValues(def).schedules)).toEqual(schedules);
		expect(settingsValues(orders()).schedules).toBe("");
		const settings = viewOf(def).settings;
		expect(settings.problems).toEqual([]);
		// D2 checks each schedule; its problems show with the settings form that holds them.
		const wrong = viewOf({ ...orders(), schedules: [{ cron: "61 9 * * *" }] }).settings;
		expect(wrong.problems.map((p) => [p.code, p.path, p.href])).toEqual([
			["SCHEDULE_CRON_INVALID", "schedules[0].cron", "#settings"],
		]);
		expect(postedSettingsForm(settings, { name: "O", schedules: "[" }, {}).values.schedules).toBe(
			"[",
		);
	});

	it("D2 names the inner node or transition of a scope a problem is about", () => {
		const views = problemViews(orders(), [
			{ code: "X", path: "nodes[0].nodes[1].nodes[0].task", message: "m", severity: "error" },
			{ code: "Y", path: "nodes[0].transitions[1].to", message: "m", severity: "error" },
			{ code: "Z", path: "nodes[0].nodes", message: "m", severity: "error" },
		]);
		expect(views.map((v) => [v.where, v.href])).toEqual([
			['Node "Handle the order", inner node "pack", inner node "box", task', "#node-0"],
			['Node "Handle the order", inner transition pack → packed, to', "#node-0"],
			['Node "Handle the order", nodes', "#node-0"],
		]);
	});
});
