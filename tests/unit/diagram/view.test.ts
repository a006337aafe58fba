import { describe, expect, it } from "vitest";
import { layoutWorkflow } from "../../../src/diagram/layout.ts";
import { type DiagramProcess, diagramView } from "../../../src/diagram/view.ts";
import type { TaskState, WorkflowDefinition } from "../../../src/engine/index.ts";
import { shippedWorkflows } from "../../../src/workflows/index.ts";

const conference = shippedWorkflows.find((w) => w.key === "conference") as WorkflowDefinition;
const layout = layoutWorkflow(conference);
let seq = 0;

function task(node: string, status: TaskState["status"], extra: Partial<TaskState> = {}) {
	seq += 1;
	return { id: `p/t${seq}`, node, status, awaitingInput: false, ...extra };
}

function process(
	tasks: DiagramProcess["tasks"],
	arrivals: { transition: number }[] = [],
): DiagramProcess {
	return { status: "STARTED", tasks, arrivals };
}

const transitionIndex = (from: string, to: string) =>
	conference.transitions.findIndex((t) => t.from === from && t.to === to);

describe("diagramView", () => {
	it("colours each node by its latest task and counts the nodes run several times", () => {
		const view = diagramView(
			conference,
			layout,
			process([
				task("receive_subscriptions", "SUCCESS"),
				task("wait_starting_day", "SUCCESS"),
				task("receive_subscriptions", "PENDING", { awaitingInput: true }),
				task("call_for_papers", "FAILURE", { incident: "i1" }),
			]),
		);
		const node = (key: string) => view.nodes.find((n) => n.key === key);
		expect(node("receive_subscriptions")).toMatchObject({
			status: "waiting",
			statusLabel: "Waiting for input",
			count: 2,
			isActive: true,
		});
		expect(node("wait_starting_day")).toMatchObject({
			status: "success",
			count: 1,
			isActive: false,
		});
		expect(node("call_for_papers")).toMatchObject({ status: "failure", hasIncident: true });
		expect(node("poster")).toMatchObject({ status: "idle", count: 0, isActive: false });
		expect(view.start?.reached).toBe(true);
		expect(view.end?.status).toBe("idle");
	});

	it("marks the branches a waiting OR join still waits for, and arrivals waiting at a join", () => {
		const fromMailing = transitionIndex("mailing", "receive_subscriptions");
		const view = diagramView(
			conference,
			layout,
			process(
				[task("mailing", "SUCCESS"), task("newspapers", "STARTED"), task("poster", "RETRY")],
				[{ transition: fromMailing }],
			),
			{ receive_subscriptions: ["newspapers", "poster"] },
		);
		const edge = (from: string, to: string) =>
			view.edges.find((e) => e.from === from && e.to === to);
		expect(edge("newspapers", "receive_subscriptions")).toMatchObject({
			isWaiting: true,
			hasToken: false,
		});
		expect(edge("poster", "receive_subscriptions")?.isWaiting).toBe(true);
		expect(edge("mailing", "receive_subscriptions")).toMatchObject({
			isWaiting: false,
			hasToken: true,
		});
		expect(view.nodes.find((n) => n.key === "receive_subscriptions")?.waitingFor).toEqual([
			"Newspapers",
			"Poster",
		]);
		expect(view.nodes.find((n) => n.key === "poster")?.status).toBe("retry");
		const step = view.steps.find((s) => s.key === "receive_subscriptions");
		expect(step?.details).toContain("waits for Newspapers and Poster");
	});

	it("says the same as text, in reading order, with where each step leads", () => {
		const view = diagramView(conference, layout, process([task("call_for_papers", "SUCCESS")]));
		expect(view.steps).toHaveLength(conference.nodes.length);
		expect(
			view.steps
				.slice(0, 2)
				.map((s) => s.key)
				.sort(),
		).toEqual(["call_for_papers", "search_location"]);
		expect(view.steps.at(-1)?.key).toBe("start_conference");
		const wait = view.steps.find((s) => s.key === "wait_starting_day");
		expect(wait?.details.join("; ")).toContain(
			"Receive subscriptions (back) when = result.started != true",
		);
		expect(view.steps.find((s) => s.key === "call_for_papers")?.statusLabel).toBe("Done");
		expect(view.summary).toBe("Organizing a conference: 10 steps. 1 done.");
	});

	it("T9 marks inline nodes, in the picture and in the text", () => {
		const automated = shippedWorkflows.find((w) => w.key === "conference-automated");
		if (!automated) throw new Error("conference-automated is not shipped");
		const def = {
			...automated,
			nodes: automated.nodes.map((n) => (n.key === "publicize" ? { ...n, inline: true } : n)),
		};
		const view = diagramView(def, layoutWorkflow(def));
		expect(view.nodes.filter((n) => n.isInline).map((n) => n.key)).toEqual(["publicize"]);
		expect(view.steps.find((s) => s.key === "publicize")?.details).toContain("runs inline");
		expect(view.steps.find((s) => s.key === "mailing")?.details).not.toContain("runs inline");
	});

	it("shows a bare workflow with every node idle", () => {
		const view = diagramView(conference, layout);
		expect(view.hasProcess).toBe(false);
		expect(view.start?.reached).toBe(false);
		expect(new Set(view.nodes.map((n) => n.status))).toEqual(new Set(["idle"]));
	});

	it("fills the end event by how the process ended", () => {
		const done = diagramView(conference, layout, { status: "SUCCESS", tasks: [], arrivals: [] });
		expect(done.end?.status).toBe("success");
		const stopped = diagramView(conference, layout, { status: "REVOKED", tasks: [], arrivals: [] });
		expect(stopped.end?.status).toBe("revoked");
	});
});
