import { describe, expect, it } from "vitest";
import { parseDuration, timerDueAt } from "../../../src/engine/index.ts";

describe("duration", () => {
	it("parses short durations", () => {
		expect(parseDuration("30s")).toBe(30_000);
		expect(parseDuration("5m")).toBe(300_000);
		expect(parseDuration("2h")).toBe(7_200_000);
		expect(parseDuration("1d")).toBe(86_400_000);
		expect(parseDuration("1w")).toBe(604_800_000);
		expect(parseDuration("1.5s")).toBe(1500);
		expect(parseDuration("250ms")).toBe(250);
	});

	it("parses ISO-8601 durations without years or months", () => {
		expect(parseDuration("PT30S")).toBe(30_000);
		expect(parseDuration("P1DT2H")).toBe(93_600_000);
		expect(parseDuration("PT1H30M")).toBe(5_400_000);
		expect(parseDuration("P2W")).toBe(2 * 604_800_000);
	});

	it("refuses what is not a duration", () => {
		for (const bad of ["", "P", "PT", "5", "five minutes", "P1Y", "P1M", "-5s", "1x"]) {
			expect(parseDuration(bad), bad).toBeNull();
		}
	});

	it("computes a timer's due date from until (wins) or duration", () => {
		expect(timerDueAt({ duration: "1m" }, 1000)).toBe(61_000);
		expect(timerDueAt({ until: "2030-01-01T00:00:00Z", duration: "1m" }, 0)).toBe(
			Date.UTC(2030, 0, 1),
		);
		expect(timerDueAt({ duration: 5 }, 0)).toBe(5000);
		expect(timerDueAt({}, 0)).toBeNull();
		expect(timerDueAt({ until: "not a date" }, 0)).toBeNull();
	});
});
