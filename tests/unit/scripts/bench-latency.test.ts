// The bench's "completion → next task" latencies (scripts/bench/worker/latency.ts): timed at the
// moment the queue consumer has a job in hand, found from the index rows and the instants the
// bench worker recorded; inline tasks keep the index's started_at.
import { describe, expect, it } from "vitest";
import {
	type JobTimings,
	type TaskRow,
	taskLatencies,
} from "../../../scripts/bench/worker/latency.ts";

const row = (
	id: string,
	node: string,
	created: number,
	started: number | null,
	ended: number | null,
	processId = "p1",
): TaskRow => ({
	id,
	process_id: processId,
	node,
	created_at: created,
	started_at: started,
	ended_at: ended,
});

const timings = (
	handed: [string, number, "completion" | "queue"][],
	sent: [string, number][],
): JobTimings => ({
	handedOver: new Map(handed.map(([id, at, via]) => [id, { at, via }])),
	completionSent: new Map(sent),
});

describe("bench latency: commit → job in the consumer's hands", () => {
	it("times a job claimed with its predecessor's completion from that commit to the answer, not to started_at", () => {
		// b is created and started in a's completion commit at 100 (T14): started_at says 0 ms.
		const rows = [row("a", "start", 50, 60, 100), row("b", "next", 100, 100, 140)];
		const l = taskLatencies(
			rows,
			new Set(["start"]),
			timings(
				[
					["a", 60, "queue"],
					["b", 112, "completion"],
				],
				[
					["a", 95],
					["b", 130],
				],
			),
		);
		expect(l.latencies).toEqual([12]);
		expect(l.latencyFrom).toEqual({ completion: 1, queue: 0, index: 0 });
		// As the Workflows column: a's completion sent at 95 → b in hand at 112.
		expect(l.stepLatencies).toEqual([17]);
		// The start task went by the queue: the process's first commit at 50 → in hand at 60.
		expect(l.firstJobLatencies).toEqual([10]);
	});

	it("times a job that went by the queue to its ClaimTask answer", () => {
		const rows = [row("a", "start", 0, 5, 100), row("b", "next", 100, 130, 150)];
		const l = taskLatencies(rows, new Set(["start"]), timings([["b", 133, "queue"]], [["a", 97]]));
		expect(l.latencies).toEqual([33]);
		expect(l.latencyFrom).toEqual({ completion: 0, queue: 1, index: 0 });
		expect(l.stepLatencies).toEqual([36]);
	});

	it("keeps started_at − created_at for a task never handed to the consumer (inline, ~0)", () => {
		const rows = [row("a", "start", 0, 0, 1), row("b", "next", 1, 1, 2)];
		const l = taskLatencies(rows, new Set(["start"]), timings([], []));
		expect(l.latencies).toEqual([0]);
		expect(l.latencyFrom).toEqual({ completion: 0, queue: 0, index: 1 });
		expect(l.stepLatencies).toEqual([]);
	});

	it("takes the last completion sent among those committed in the same millisecond of the same process", () => {
		// An AND join: a1 and a2 complete in one round trip, both commits at 100; j is created by the later.
		const rows = [
			row("a1", "left", 0, 1, 100),
			row("a2", "right", 0, 1, 100),
			row("j", "join", 100, 100, null),
			// Another process's task ending at the same instant is not a predecessor.
			row("x", "left", 0, 1, 100, "p2"),
		];
		const l = taskLatencies(
			rows,
			new Set(["left", "right"]),
			timings(
				[["j", 110, "completion"]],
				[
					["a1", 90],
					["a2", 94],
					["x", 99],
				],
			),
		);
		expect(l.stepLatencies).toEqual([16]);
	});

	it("leaves out start tasks and tasks not started", () => {
		const rows = [row("a", "start", 0, 3, 10), row("b", "next", 10, null, null)];
		const l = taskLatencies(rows, new Set(["start"]), timings([["a", 3, "queue"]], []));
		expect(l.latencies).toEqual([]);
		expect(l.latencyFrom).toEqual({ completion: 0, queue: 0, index: 0 });
	});
});
