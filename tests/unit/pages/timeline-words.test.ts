// The history and the tables speak the words people see (issue #17): a task's form labels, not its
// field keys; lists and records of values in words, not JSON.
import { describe, expect, it } from "vitest";
import type { HistoryEvent } from "../../../src/engine/index.ts";
import { shortValue } from "../../../src/http/view-models/format.ts";
import { timelineOf } from "../../../src/http/view-models/timeline.ts";

const T0 = Date.parse("2026-12-01T09:00:00Z");
const LABELS: Record<string, string> = { venue: "Venue", capacity: "Number of seats" };

const names = {
	nodeOfTask: () => "book",
	task: () => ({ node: "book", createdAt: T0 }),
	nodeName: () => "Book the venue",
	nodeTaskType: () => "ask",
	userName: (id: string) => (id === "u-1" ? "Olivia" : id),
	fieldLabel: (_taskId: string, field: string) => LABELS[field] ?? field,
};

function event(type: string, data: Record<string, unknown>, seq = 1) {
	return { type, at: T0, taskId: "p/t1", node: "book", data, seq } as unknown as HistoryEvent & {
		seq: number;
	};
}

describe("the timeline's words", () => {
	it("names the fields a task waits for by their labels", () => {
		const [entry] = timelineOf(
			[event("InputRequested", { requiredFields: ["venue", "capacity"] })],
			names,
			T0,
		);
		expect(entry?.detail).toBe("Needs: Venue, Number of seats");
	});

	it("labels the submitted values, and keeps a key the form no longer has", () => {
		const [entry] = timelineOf(
			[event("ValuesSubmitted", { values: { venue: "Hall A", retired: 3 } })],
			names,
			T0,
		);
		expect(entry?.values).toEqual([
			{ key: "Venue", value: "Hall A" },
			{ key: "retired", value: "3" },
		]);
	});
});

describe("shortValue", () => {
	it("says lists and records in words, not JSON", () => {
		expect(shortValue(["Hall A", "Hall B"])).toBe("Hall A, Hall B");
		expect(shortValue({ venue: "Hall A", capacity: 200, booked: true })).toBe(
			"venue: Hall A, capacity: 200, booked: Yes",
		);
		expect(shortValue([])).toBe("none");
		expect(shortValue({})).toBe("—");
		expect(shortValue({ a: "x".repeat(100) }).length).toBe(60);
	});
});
