import { describe, expect, it } from "vitest";
import { shippedWorkflows } from "../../src/workflows/index.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	trace,
	waitFor,
} from "./process-fixtures.ts";

describe("a process on Workers", () => {
	it("runs the automated conference workflow to the end through the queue, loop taken twice", async () => {
		const def = shippedWorkflows.find((w) => w.key === "conference-automated");
		if (!def) throw new Error("missing shipped workflow");
		await publish(def);
		const { processId } = await start("conference-automated");
		const v = await waitFor(processId, finished);
		expect(v.state.status).toBe("SUCCESS");
		expect(trace(v).filter((n) => n === "wait_starting_day")).toHaveLength(3);
		expect(trace(v).at(-1)).toBe("start_conference");
		await expectIndexMatches(processId);
	});
});
