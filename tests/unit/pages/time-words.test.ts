// Due dates, follow-up dates and timer countdowns in words, against a fixed request time, and the
// date ranges behind the inbox's due filters.
import { describe, expect, it } from "vitest";
import { dueRange } from "../../../src/db/process-index-due.ts";
import {
	dueWords,
	firesWords,
	followUpWords,
	roughSpan,
} from "../../../src/http/view-models/time-words.ts";

// Wednesday 2026-12-02 15:00 UTC.
const NOW = Date.parse("2026-12-02T15:00:00Z");
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe("dueWords", () => {
	it("says how long until a task is due, in the one unit that matters", () => {
		expect(dueWords(NOW + 3 * HOUR, NOW)).toEqual({
			iso: "2026-12-02T18:00:00.000Z",
			text: "2026-12-02 18:00 UTC",
			words: "due in 3 h",
			isPast: false,
		});
		expect(dueWords(NOW + 2 * HOUR + 50 * MIN, NOW).words).toBe("due in 3 h");
		expect(dueWords(NOW + 25 * MIN, NOW).words).toBe("due in 25 min");
		expect(dueWords(NOW + 20 * 1000, NOW).words).toBe("due in less than a minute");
		expect(dueWords(NOW + 23 * HOUR + 40 * MIN, NOW).words).toBe("due in 1 day");
		expect(dueWords(NOW + 5 * DAY, NOW).words).toBe("due in 5 days");
	});

	it("marks an active task past its due date as overdue, and by how much", () => {
		expect(dueWords(NOW - 2 * DAY, NOW)).toMatchObject({
			words: "overdue by 2 days",
			isPast: true,
			text: "2026-11-30 15:00 UTC",
		});
		expect(dueWords(NOW - 90 * MIN, NOW).words).toBe("overdue by 2 h");
		expect(dueWords(NOW, NOW)).toMatchObject({
			words: "overdue by less than a minute",
			isPast: true,
		});
	});

	it("never calls a task that ended overdue: it gives the date", () => {
		expect(dueWords(NOW - 2 * DAY, NOW, false)).toMatchObject({
			words: "due 2026-11-30 15:00 UTC",
			isPast: false,
		});
	});
});

describe("followUpWords", () => {
	it("says when to look again, and that the date was reached", () => {
		expect(followUpWords(NOW + 2 * DAY, NOW)).toMatchObject({
			words: "follow up in 2 days",
			isPast: false,
		});
		expect(followUpWords(NOW - 3 * HOUR, NOW)).toMatchObject({
			words: "follow-up reached 3 h ago",
			isPast: true,
		});
	});
});

describe("firesWords", () => {
	it("counts a timer down to the minute, never promising more time than is left", () => {
		expect(firesWords(NOW + HOUR + 59 * MIN + 50_000, NOW).words).toBe("fires in 1 h 59 min");
		expect(firesWords(NOW + 2 * HOUR, NOW).words).toBe("fires in 2 h");
		expect(firesWords(NOW + 4 * MIN + 30_000, NOW).words).toBe("fires in 4 min");
		expect(firesWords(NOW + 1500, NOW).words).toBe("fires in 2 s");
		expect(firesWords(NOW + 3 * DAY, NOW).words).toBe("fires in 3 days");
		expect(firesWords(NOW + 2 * DAY - MIN, NOW).words).toBe("fires in 1 day 23 h");
		expect(firesWords(NOW + 9 * DAY + 5 * HOUR, NOW).words).toBe("fires in 9 days");
		expect(firesWords(NOW - 1000, NOW)).toMatchObject({ words: "fires now", isPast: true });
	});
});

describe("roughSpan", () => {
	it("is the same forwards and backwards", () => {
		expect(roughSpan(-2 * DAY)).toBe(roughSpan(2 * DAY));
	});
});

describe("dueRange", () => {
	it("overdue: due at or before now; follow-up: reached at or before now", () => {
		expect(dueRange("overdue", NOW)).toEqual({ column: "due", before: NOW + 1 });
		expect(dueRange("follow-up", NOW)).toEqual({ column: "followUp", before: NOW + 1 });
	});

	it("today and this week are UTC days, the week Monday to Sunday", () => {
		expect(dueRange("today", NOW)).toEqual({
			column: "due",
			from: Date.parse("2026-12-02T00:00:00Z"),
			before: Date.parse("2026-12-03T00:00:00Z"),
		});
		expect(dueRange("week", NOW)).toEqual({
			column: "due",
			from: Date.parse("2026-11-30T00:00:00Z"),
			before: Date.parse("2026-12-07T00:00:00Z"),
		});
		// A Monday and a Sunday keep their own week.
		const monday = Date.parse("2026-11-30T00:00:00Z");
		expect(dueRange("week", monday).from).toBe(monday);
		const sunday = Date.parse("2026-12-06T23:59:00Z");
		expect(dueRange("week", sunday).from).toBe(monday);
	});
});
