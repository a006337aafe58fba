// The inbox asks again just after the soonest due date it shows (H1: nothing announces "overdue").
import { describe, expect, it } from "vitest";
import { refreshSecondsFor } from "../../../src/http/view-models/inbox-refresh.ts";

describe("inbox refresh", () => {
	it("H1 polls every 60 s with nothing due soon, and a second after the next due date otherwise", () => {
		const now = 1_000_000;
		expect(refreshSecondsFor([], now)).toBe(60);
		expect(refreshSecondsFor([{ dueAt: null }, { dueAt: now - 5_000 }], now)).toBe(60);
		expect(refreshSecondsFor([{ dueAt: now + 8_000 }, { dueAt: now + 30_000 }], now)).toBe(9);
		expect(refreshSecondsFor([{ dueAt: now + 200 }], now)).toBe(2);
		expect(refreshSecondsFor([{ dueAt: now + 3_600_000 }], now)).toBe(60);
	});
});
