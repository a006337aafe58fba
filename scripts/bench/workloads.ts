// The three workloads of `npm run bench`, each as a Baton definition and as BPMN 2.0 for the peer
// (bpmn-engine). Every task is automated and completes at once; gateways are node properties in
// Baton and gateway elements in BPMN, so both run the same tasks in the same order of dependence.
import { readFileSync } from "node:fs";
import type { WorkflowDefinition } from "../../src/engine/index.ts";

export interface Workload {
	key: WorkloadKey;
	title: string;
	/** Tasks completed by one process: the unit of "steps/s". */
	steps: number;
	baton: WorkflowDefinition;
	bpmn: string;
	/** Task → the tasks whose completion can make it run (through gateways); empty for a start task. */
	preds: Record<string, string[]>;
}

export type WorkloadKey = "conference" | "fanout20" | "chain50";
export const WORKLOAD_KEYS: WorkloadKey[] = ["conference", "fanout20", "chain50"];

const conferenceDef = JSON.parse(
	readFileSync(new URL("../../src/workflows/conference-automated.json", import.meta.url), "utf8"),
) as WorkflowDefinition & { $schema?: string };
delete conferenceDef.$schema;

function bpmnDocument(id: string, body: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="def-${id}" targetNamespace="http://baton.local/bench">
  <process id="${id}" isExecutable="true">
${body}
  </process>
</definitions>`;
}

const task = (id: string) =>
	`    <serviceTask id="${id}" implementation="\${environment.services.work}" />`;
const flow = (from: string, to: string, condition?: string) =>
	condition
		? `    <sequenceFlow id="f-${from}-${to}" sourceRef="${from}" targetRef="${to}"><conditionExpression xsi:type="tFormalExpression">${condition}</conditionExpression></sequenceFlow>`
		: `    <sequenceFlow id="f-${from}-${to}" sourceRef="${from}" targetRef="${to}" />`;

/**
 * The automated conference: two starts (an AND split in BPMN), AND joins, three parallel channels,
 * the OR join of subscriptions (in BPMN: the channels' AND join, then an XOR merge that the loop
 * re-enters), the loop taken twice. 14 tasks per process.
 */
function conference(): Workload {
	const tasks = [
		"call_for_papers",
		"search_location",
		"collect_papers",
		"publicize",
		"mailing",
		"newspapers",
		"poster",
		"receive_subscriptions",
		"wait_starting_day",
		"start_conference",
	];
	const body = [
		`    <startEvent id="start" />`,
		`    <parallelGateway id="starts" />`,
		...tasks.map(task),
		`    <parallelGateway id="join_publicize" />`,
		`    <parallelGateway id="channels" />`,
		`    <parallelGateway id="join_channels" />`,
		`    <exclusiveGateway id="loop_merge" />`,
		`    <exclusiveGateway id="again" default="f-again-start_conference" />`,
		`    <endEvent id="end" />`,
		flow("start", "starts"),
		flow("starts", "call_for_papers"),
		flow("starts", "search_location"),
		flow("call_for_papers", "collect_papers"),
		flow("collect_papers", "join_publicize"),
		flow("search_location", "join_publicize"),
		flow("join_publicize", "publicize"),
		flow("publicize", "channels"),
		flow("channels", "mailing"),
		flow("channels", "newspapers"),
		flow("channels", "poster"),
		flow("mailing", "join_channels"),
		flow("newspapers", "join_channels"),
		flow("poster", "join_channels"),
		flow("join_channels", "loop_merge"),
		flow("loop_merge", "receive_subscriptions"),
		flow("receive_subscriptions", "wait_starting_day"),
		flow("wait_starting_day", "again"),
		// biome-ignore lint/suspicious/noTemplateCurlyInString: a bpmn-engine expression, not JS
		flow("again", "loop_merge", "${environment.services.again()}"),
		flow("again", "start_conference"),
		flow("start_conference", "end"),
	].join("\n");
	return {
		key: "conference",
		title: "conference (14 tasks, loop ×2)",
		steps: 14,
		baton: conferenceDef,
		bpmn: bpmnDocument("conference", body),
		preds: {
			call_for_papers: [],
			search_location: [],
			collect_papers: ["call_for_papers"],
			publicize: ["collect_papers", "search_location"],
			mailing: ["publicize"],
			newspapers: ["publicize"],
			poster: ["publicize"],
			receive_subscriptions: ["mailing", "newspapers", "poster", "wait_starting_day"],
			wait_starting_day: ["receive_subscriptions"],
			start_conference: ["wait_starting_day"],
		},
	};
}

/** A task, an AND split into 20 tasks, an AND join into a last task: 22 tasks per process. */
function fanout20(): Workload {
	const branches = Array.from({ length: 20 }, (_, i) => `b${i + 1}`);
	const baton: WorkflowDefinition = {
		key: "bench-fanout20",
		name: "Fan-out / fan-in of 20",
		nodes: [
			{ key: "fork", task: "dummy", start: true, split: "and" },
			...branches.map((key) => ({ key, task: "dummy" })),
			{ key: "gather", task: "dummy", join: "and", end: true },
		],
		transitions: [
			...branches.map((to) => ({ from: "fork", to })),
			...branches.map((from) => ({ from, to: "gather" })),
		],
	};
	const body = [
		`    <startEvent id="start" />`,
		task("fork"),
		`    <parallelGateway id="split" />`,
		...branches.map(task),
		`    <parallelGateway id="join" />`,
		task("gather"),
		`    <endEvent id="end" />`,
		flow("start", "fork"),
		flow("fork", "split"),
		...branches.map((b) => flow("split", b)),
		...branches.map((b) => flow(b, "join")),
		flow("join", "gather"),
		flow("gather", "end"),
	].join("\n");
	const preds: Record<string, string[]> = { fork: [], gather: branches };
	for (const b of branches) preds[b] = ["fork"];
	return {
		key: "fanout20",
		title: "fan-out/fan-in of 20 (22 tasks)",
		steps: 22,
		baton,
		bpmn: bpmnDocument("fanout20", body),
		preds,
	};
}

/** 50 tasks in a row. */
function chain50(): Workload {
	const keys = Array.from({ length: 50 }, (_, i) => `c${i + 1}`);
	const baton: WorkflowDefinition = {
		key: "bench-chain50",
		name: "Chain of 50",
		nodes: keys.map((key, i) => ({
			key,
			task: "dummy",
			...(i === 0 ? { start: true } : {}),
			...(i === keys.length - 1 ? { end: true } : {}),
		})),
		transitions: keys.slice(1).map((to, i) => ({ from: keys[i] as string, to })),
	};
	const body = [
		`    <startEvent id="start" />`,
		...keys.map(task),
		`    <endEvent id="end" />`,
		flow("start", "c1"),
		...keys.slice(1).map((to, i) => flow(keys[i] as string, to)),
		flow("c50", "end"),
	].join("\n");
	const preds: Record<string, string[]> = {};
	keys.forEach((k, i) => {
		preds[k] = i === 0 ? [] : [keys[i - 1] as string];
	});
	return {
		key: "chain50",
		title: "chain of 50 tasks",
		steps: 50,
		baton,
		bpmn: bpmnDocument("chain50", body),
		preds,
	};
}

export function workload(key: WorkloadKey): Workload {
	switch (key) {
		case "conference":
			return conference();
		case "fanout20":
			return fanout20();
		case "chain50":
			return chain50();
	}
}

/** Latency samples: each non-start task's start minus the latest completion of its predecessors. */
export function latencies(
	preds: Record<string, string[]>,
	runs: { node: string; startedAt: number; completedAt: number }[],
): number[] {
	const out: number[] = [];
	const ordered = [...runs].sort((a, b) => a.startedAt - b.startedAt);
	for (const run of ordered) {
		const from = preds[run.node] ?? [];
		if (from.length === 0) continue;
		let latest = -Infinity;
		for (const r of ordered) {
			if (from.includes(r.node) && r.completedAt <= run.startedAt && r.completedAt > latest)
				latest = r.completedAt;
		}
		if (latest > -Infinity) out.push(run.startedAt - latest);
	}
	return out;
}
