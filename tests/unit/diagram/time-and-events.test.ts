// The diagram of the time-and-event constructs: boundary events on their host's bottom edge with
// their arrows leaving from there, a scope's container around its inner graph, multi-instance
// markers with the instances done, the event-based split; and, for a process, listening and fired
// boundaries, timer countdowns, message waits and overdue tasks, worded against a fixed `now`.
import { describe, expect, it } from "vitest";
import {
	BOUNDARY_RADIUS,
	boundarySlots,
	findLoopTransitions,
	type LaidOutNode,
	layoutWorkflow,
	NODE_WIDTH,
	SCOPE_HEADER,
} from "../../../src/diagram/layout.ts";
import { type DiagramProcess, diagramView } from "../../../src/diagram/view.ts";
import {
	compileWorkflow,
	type TaskState,
	type WorkflowDefinition,
} from "../../../src/engine/index.ts";
import { taskCatalog } from "../../../src/tasks/registry.ts";
import { Diagram } from "../../../templates/diagram.tsx";
import { definition, n, t } from "../helpers/builder.ts";
import { renderToString } from "../helpers/render.ts";

const NOW = Date.parse("2026-12-02T15:00:00Z");
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** An approval with three boundaries, a scope with an error boundary, and a multi-instance review. */
const approval: WorkflowDefinition = definition(
	[
		n("approve", { name: "Approve", task: "ask", role: "boss", start: true, due: "P2D" }),
		n("reminder", {
			name: "Reminder",
			task: "wait",
			attachedTo: "approve",
			interrupting: false,
			params: { at: "due" },
		}),
		n("escalate", {
			name: "Escalate",
			task: "wait",
			attachedTo: "approve",
			params: { duration: "P5D" },
		}),
		n("cancelled", {
			name: "Cancelled",
			task: "message",
			attachedTo: "approve",
			params: { message: "order-cancelled", correlationKey: "= params.order" },
		}),
		n("nudge", { name: "Nudge the boss", task: "dummy", end: true }),
		n("escalated", { name: "Ask the board", task: "ask", end: true }),
		n("check", {
			name: "Check the invoice",
			task: "scope",
			nodes: [
				n("read", { name: "Read it", task: "dummy", start: true }),
				n("pay", {
					name: "Wait for the payment",
					task: "message",
					params: { message: "invoice-paid", correlationKey: "= params.invoice" },
				}),
				n("filed", { name: "File it", task: "dummy", end: true }),
			],
			transitions: [t("read", "pay"), t("pay", "filed")],
		}),
		n("rejected", {
			name: "Rejected",
			task: "error",
			attachedTo: "check",
			params: { code: "REJECTED" },
		}),
		n("reviews", {
			name: "Review",
			task: "ask",
			multiInstance: { items: "= params.reviewers" },
		}),
		n("votes", {
			name: "Vote one by one",
			task: "ask",
			end: true,
			multiInstance: { items: "= params.voters", sequential: true },
		}),
		n("ended", { name: "Ended", task: "dummy", end: true }),
	],
	[
		t("approve", "check"),
		t("reminder", "nudge"),
		t("escalate", "escalated"),
		t("cancelled", "ended"),
		t("check", "reviews"),
		t("rejected", "ended"),
		t("reviews", "votes"),
	],
);

const layout = layoutWorkflow(approval);
const box = (key: string): LaidOutNode => {
	const node = layout.nodes.find((x) => x.key === key);
	if (!node) throw new Error(`no box ${key}`);
	return node;
};
const circle = (key: string) => {
	const b = layout.boundaries.find((x) => x.key === key);
	if (!b) throw new Error(`no boundary ${key}`);
	return b;
};
const edge = (from: string, to: string) => {
	const e = layout.edges.find((x) => x.from === from && x.to === to);
	if (!e) throw new Error(`no edge ${from} → ${to}`);
	return e;
};
/** The first point of an SVG path. */
const startOf = (d: string) => {
	const m = /^M([\d.-]+),([\d.-]+)/.exec(d);
	return { x: Number(m?.[1]), y: Number(m?.[2]) };
};

describe("boundary events in the layout", () => {
	it("are circles on their host's bottom edge, not boxes, ordered like their targets so arrows do not cross", () => {
		expect(layout.nodes.map((x) => x.key)).not.toContain("reminder");
		const host = box("approve");
		const bottom = host.y + host.height / 2;
		const keys = ["reminder", "escalate", "cancelled"];
		for (const key of keys) {
			const b = circle(key);
			expect(b).toMatchObject({ host: "approve", y: bottom, r: BOUNDARY_RADIUS });
			expect(b.x - b.r).toBeGreaterThanOrEqual(host.x - host.width / 2);
			expect(b.x + b.r).toBeLessThanOrEqual(host.x + host.width / 2);
		}
		const targets = { reminder: "nudge", escalate: "escalated", cancelled: "ended" } as const;
		const byCircle = [...keys].sort((a, b) => circle(a).x - circle(b).x);
		const byTarget = [...keys].sort(
			(a, b) =>
				box(targets[a as keyof typeof targets]).x - box(targets[b as keyof typeof targets]).x,
		);
		expect(byCircle).toEqual(byTarget);
		expect(new Set(keys.map((k) => circle(k).x)).size).toBe(3);
		// Each timer or message says what it waits for on its own row under the host.
		expect(keys.map((k) => circle(k).labelRow).sort()).toEqual([0, 1, 2]);
		expect(circle("rejected").labelRow).toBeUndefined();
		expect(circle("reminder")).toMatchObject({ kind: "timer", interrupting: false });
		expect(circle("escalate")).toMatchObject({ kind: "timer", interrupting: true });
		expect(circle("cancelled")).toMatchObject({ kind: "message", interrupting: true });
		expect(circle("rejected")).toMatchObject({ kind: "error", host: "check" });
	});

	it("keep clear of the middle of the edge, where a split's gateway sits", () => {
		for (const x of boundarySlots(NODE_WIDTH, 4)) {
			expect(Math.abs(x - NODE_WIDTH / 2)).toBeGreaterThanOrEqual(BOUNDARY_RADIUS + 9);
		}
		// More than fit are spread along the whole edge.
		const many = boundarySlots(NODE_WIDTH, 7);
		expect(many).toHaveLength(7);
		expect(new Set(many).size).toBe(7);
	});

	it("send their arrows from the circle, downwards to a target placed below the host", () => {
		for (const [from, to] of [
			["reminder", "nudge"],
			["escalate", "escalated"],
			["cancelled", "ended"],
		] as const) {
			const e = edge(from, to);
			const c = circle(from);
			expect(startOf(e.d)).toEqual({ x: c.x, y: c.y + c.r });
			expect(box(to).y).toBeGreaterThan(box("approve").y);
			expect(e.index).toBe(approval.transitions.findIndex((x) => x.from === from));
		}
		expect(findLoopTransitions(approval).size).toBe(0);
	});
});

describe("a scope in the layout", () => {
	const scope = box("check");
	const inner = ["read", "pay", "filed"].map(box);

	it("is a container that holds its inner nodes below its header", () => {
		expect(scope).toMatchObject({ isScope: true });
		expect(scope.width).toBeGreaterThan(NODE_WIDTH);
		const left = scope.x - scope.width / 2;
		const top = scope.y - scope.height / 2;
		for (const node of inner) {
			expect(node.scope).toBe("check");
			expect(node.x - node.width / 2).toBeGreaterThanOrEqual(left);
			expect(node.x + node.width / 2).toBeLessThanOrEqual(left + scope.width);
			expect(node.y - node.height / 2).toBeGreaterThanOrEqual(top + SCOPE_HEADER);
			expect(node.y + node.height / 2).toBeLessThanOrEqual(top + scope.height);
		}
		// Its own start and end events are inside it, above and below its inner graph.
		const { start, end } = scope.inner ?? {};
		expect(start?.y).toBeGreaterThan(top + SCOPE_HEADER);
		expect(start?.y).toBeLessThan(box("read").y);
		expect(end?.y).toBeGreaterThan(box("filed").y);
		expect(end?.y).toBeLessThan(top + scope.height);
	});

	it("numbers every arrow like the compiled workflow, whose transitions arrivals point into", () => {
		const compiled = compileWorkflow(approval, taskCatalog);
		if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
		const arrows = layout.edges.filter((e) => e.index >= 0);
		expect(arrows).toHaveLength(compiled.workflow.transitions.length);
		for (const e of arrows) {
			expect(compiled.workflow.transitions[e.index]).toMatchObject({ from: e.from, to: e.to });
		}
	});

	it("sits in the flow as one box, and its inner transitions keep the compiled workflow's numbers", () => {
		expect(scope.y).toBeGreaterThan(box("approve").y);
		expect(box("reviews").y).toBeGreaterThan(scope.y + scope.height / 2);
		// The top level's transitions first, then the scope's.
		expect(edge("read", "pay").index).toBe(approval.transitions.length);
		expect(edge("pay", "filed").index).toBe(approval.transitions.length + 1);
		expect(layout.nodes.findIndex((x) => x.key === "check")).toBeLessThan(
			layout.nodes.findIndex((x) => x.key === "read"),
		);
	});

	it("nests: a scope inside a scope is inside it", () => {
		const def = definition(
			[
				n("outer", {
					task: "scope",
					start: true,
					end: true,
					nodes: [
						n("inner", {
							task: "scope",
							start: true,
							end: true,
							nodes: [n("deep", { start: true, end: true })],
							transitions: [],
						}),
					],
					transitions: [],
				}),
			],
			[],
		);
		const nested = layoutWorkflow(def);
		const [outer, inside, deep] = ["outer", "inner", "deep"].map(
			(k) => nested.nodes.find((x) => x.key === k) as LaidOutNode,
		);
		expect(inside?.scope).toBe("outer");
		expect(deep?.scope).toBe("inner");
		for (const [parent, child] of [
			[outer, inside],
			[inside, deep],
		] as const) {
			if (!parent || !child) throw new Error("missing");
			expect(child.y - child.height / 2).toBeGreaterThan(parent.y - parent.height / 2);
			expect(child.y + child.height / 2).toBeLessThan(parent.y + parent.height / 2);
			expect(child.width).toBeLessThan(parent.width);
		}
	});
});

describe("markers in the layout", () => {
	it("marks multi-instance nodes parallel or sequential, and an event-based split even with one way", () => {
		expect(box("reviews").multi).toBe("parallel");
		expect(box("votes").multi).toBe("sequential");
		expect(box("approve").multi).toBeUndefined();
		const race = layoutWorkflow(
			definition(
				[n("a", { start: true, split: "event" }), n("b", { task: "wait", end: true })],
				[t("a", "b")],
			),
		);
		expect(race.nodes.find((x) => x.key === "a")?.split).toBe("event");
	});
});

let seq = 0;
function task(node: string, status: TaskState["status"], extra: Partial<TaskState> = {}) {
	seq += 1;
	return { id: `p/t${seq}`, node, status, awaitingInput: false, ...extra };
}

function process(tasks: DiagramProcess["tasks"]): DiagramProcess {
	return { status: "STARTED", tasks, arrivals: [] };
}

describe("a process on the diagram", () => {
	const host = task("approve", "PENDING", { awaitingInput: true, dueAt: NOW - 2 * DAY });
	const listening = process([
		host,
		task("reminder", "SUCCESS", { boundaryOf: host.id }),
		task("reminder", "STARTED", {
			boundaryOf: host.id,
			timerDueAt: NOW + HOUR + 59 * 60_000 + 5_000,
		}),
		task("escalate", "STARTED", { boundaryOf: host.id, timerDueAt: NOW + 3 * DAY }),
		task("cancelled", "STARTED", {
			boundaryOf: host.id,
			message: { name: "order-cancelled", correlationKey: "42" },
		}),
	]);
	const view = diagramView(approval, layout, listening, {}, NOW);
	const b = (key: string) => view.boundaries.find((x) => x.key === key);
	const node = (key: string) => view.nodes.find((x) => x.key === key);

	it("counts a timer down from the request's time, and says what message a boundary waits for", () => {
		expect(b("reminder")).toMatchObject({ status: "listening", fired: 1 });
		expect(b("reminder")?.wait).toMatchObject({
			text: "fires in 1 h 59 min",
			date: { iso: "2026-12-02T16:59:05.000Z" },
		});
		expect(b("escalate")?.wait?.text).toBe("fires in 3 days");
		expect(b("cancelled")?.wait?.text).toBe("waits for message order-cancelled / key 42");
		expect(b("cancelled")?.wait?.short).toBe("order-cancelled / 42");
		expect(b("rejected")).toMatchObject({ status: "idle" });
		expect(b("reminder")?.title).toBe(
			"Reminder: timer on Approve · does not interrupt Approve · Listening · fires in 1 h 59 min",
		);
	});

	it("marks the overdue host and lists what the process waits for, in reading order", () => {
		expect(node("approve")).toMatchObject({ isOverdue: true, due: { words: "overdue by 2 days" } });
		expect(view.summary).toContain("1 overdue");
		// The boundaries left to right, as drawn.
		const drawn = [...layout.boundaries]
			.filter((x) => x.host === "approve")
			.sort((a, z) => a.x - z.x)
			.map((x) => x.key);
		const words: Record<string, string> = {
			reminder: "Reminder on Approve: fires in 1 h 59 min",
			escalate: "Escalate on Approve: fires in 3 days",
			cancelled: "Cancelled on Approve: waits for message order-cancelled / key 42",
		};
		expect(view.waits.map((w) => `${w.subject}: ${w.wait.text}`)).toEqual([
			"Approve: overdue by 2 days",
			...drawn.map((k) => words[k]),
		]);
		expect(view.features).toMatchObject({
			boundaries: ["timer", "message", "error"],
			nonInterrupting: true,
			scope: true,
			multi: true,
			overdue: true,
		});
	});

	it("shows a fired boundary, and a host no longer overdue once it ended", () => {
		const fired = diagramView(
			approval,
			layout,
			process([
				{ ...host, status: "REVOKED" },
				task("escalate", "SUCCESS", { boundaryOf: host.id, timerDueAt: NOW - HOUR }),
				task("reminder", "REVOKED", { boundaryOf: host.id }),
				task("escalated", "PENDING", { awaitingInput: true }),
			]),
			{},
			NOW,
		);
		expect(fired.boundaries.find((x) => x.key === "escalate")?.status).toBe("fired");
		expect(fired.boundaries.find((x) => x.key === "reminder")?.status).toBe("ended");
		expect(fired.nodes.find((x) => x.key === "approve")?.isOverdue).toBe(false);
		expect(fired.waits).toEqual([]);
	});

	it("takes a multi-instance node's state from its body, with the instances done out of all", () => {
		const body = task("reviews", "STARTED", {
			multi: { items: ["ann", "bob", "cy"], created: 3, completed: 2, results: [true, true, null] },
		});
		const mi = diagramView(
			approval,
			layout,
			process([
				body,
				task("reviews", "SUCCESS", { instanceOf: body.id, instanceIndex: 0 }),
				task("reviews", "SUCCESS", { instanceOf: body.id, instanceIndex: 1 }),
				task("reviews", "PENDING", { instanceOf: body.id, instanceIndex: 2, awaitingInput: true }),
			]),
			{},
			NOW,
		);
		const reviews = mi.nodes.find((x) => x.key === "reviews");
		expect(reviews).toMatchObject({
			status: "running",
			count: 1,
			instances: { done: 2, total: 3 },
		});
		expect(mi.steps.find((s) => s.key === "reviews")?.details).toEqual(
			expect.arrayContaining(["runs once per item, all at once", "2 of 3 done"]),
		);
	});

	it("words a plain timer and a plain message wait in the box, and nothing about time without `now`", () => {
		const waiting = diagramView(
			approval,
			layout,
			process([
				task("check", "STARTED"),
				task("pay", "STARTED", {
					scope: "p/t0",
					message: { name: "invoice-paid", correlationKey: "" },
				}),
			]),
			{},
			NOW,
		);
		expect(waiting.nodes.find((x) => x.key === "pay")?.wait).toEqual({
			text: "waits for message invoice-paid",
			short: "invoice-paid",
		});
		const timeless = diagramView(approval, layout, listening);
		expect(timeless.waits).toEqual([]);
		expect(timeless.nodes.find((x) => x.key === "approve")?.isOverdue).toBe(false);
	});

	it("lists boundaries after their host and a scope's steps inside it", () => {
		const steps = view.steps;
		const keys = steps.map((s) => s.key);
		expect(keys.slice(keys.indexOf("approve"), keys.indexOf("approve") + 4)).toEqual([
			"approve",
			...[...layout.boundaries]
				.filter((x) => x.host === "approve")
				.sort((a, z) => a.x - z.x)
				.map((x) => x.key),
		]);
		expect(steps.find((s) => s.key === "reminder")?.details).toEqual([
			"timer boundary event on Approve",
			"does not interrupt Approve",
			"fires in 1 h 59 min",
			"then Nudge the boss",
		]);
		const check = steps.find((s) => s.key === "check");
		expect(check?.children?.map((s) => s.key)).toEqual(["read", "pay", "filed"]);
		expect(keys).not.toContain("read");
	});
});

describe("the diagram's markup", () => {
	const host = task("approve", "PENDING", { awaitingInput: true, dueAt: NOW - 2 * DAY });
	const html = renderToString(
		Diagram({
			view: diagramView(
				approval,
				layout,
				process([
					host,
					task("reminder", "STARTED", { boundaryOf: host.id, timerDueAt: NOW + 2 * HOUR }),
				]),
				{},
				NOW,
			),
			id: "d",
		}),
	);

	it("draws each boundary kind's glyph in a double circle, dashed when it does not interrupt", () => {
		expect(html).toMatch(
			/<g class="boundary boundary-timer is-non-interrupting bst-listening" transform="translate\([\d.]+,[\d.]+\)" data-boundary="reminder" data-host="approve" data-status="listening">/,
		);
		expect(html).toContain('class="boundary boundary-message is-interrupting bst-idle"');
		expect(html).toContain('class="boundary boundary-error is-interrupting bst-idle"');
		expect(html).toContain('<text class="boundary-label"');
		expect(html).toContain(">fires in 2 h</text>");
	});

	it("says overdue in words on the box and lists the waits with <time> elements", () => {
		expect(html).toMatch(/<g class="node st-waiting is-active is-overdue"[^>]*data-node="approve"/);
		expect(html).toContain(">overdue</text>");
		expect(html).toContain('<h3 id="d-waits-title" class="h-small">Waiting now</h3>');
		expect(html).toContain(
			'<time datetime="2026-11-30T15:00:00.000Z" title="2026-11-30 15:00 UTC" data-local="">overdue by 2 days</time>',
		);
		expect(html).toContain(
			'<time datetime="2026-12-02T17:00:00.000Z" title="2026-12-02 17:00 UTC" data-local="">fires in 2 h</time>',
		);
	});

	it("draws the scope as a container with its name, and the multi-instance bars", () => {
		expect(html).toMatch(/<g data-node="check" data-status="idle" class="scope st-idle">/);
		expect(html).toContain('<text class="scope-name" x="12" y="18">Check the invoice</text>');
		expect(html).toContain('<g class="multi-mark"');
		expect(html).toContain("Once per item");
	});
});
