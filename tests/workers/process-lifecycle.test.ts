import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { shippedWorkflows } from "../../src/workflows/index.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	trace,
	view,
	waitFor,
	workflow,
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

	it("S2 a start runs on the latest version, though the one before was started on (and kept) a moment ago", async () => {
		const v1 = workflow("s2-latest", [{ key: "first", task: "dummy", start: true, end: true }], []);
		await publish(v1);
		const one = await start("s2-latest");
		expect(one.version).toBe(1);
		await publish({
			...v1,
			nodes: [{ key: "second", task: "dummy", start: true, end: true }],
		});
		const two = await start("s2-latest");
		expect(two.version).toBe(2);
		expect((await view(two.processId)).state.tasks.map((t) => t.node)).toEqual(["second"]);
	});

	it("S2 a database reset under a living isolate does not start the new version 1 on the old one's definition", async () => {
		const key = "s2-reset";
		await publish(workflow(key, [{ key: "old", task: "dummy", start: true, end: true }], []));
		await start(key);
		// As a test's storage reset would leave it: version 1 gone, then published anew.
		await env.DB.batch([
			env.DB.prepare("DELETE FROM workflow_versions WHERE workflow_key = ?").bind(key),
			env.DB.prepare("DELETE FROM workflows WHERE key = ?").bind(key),
		]);
		await new Promise((r) => setTimeout(r, 2));
		await publish(workflow(key, [{ key: "new", task: "dummy", start: true, end: true }], []));
		const { processId, version } = await start(key);
		expect(version).toBe(1);
		expect((await view(processId)).state.tasks.map((t) => t.node)).toEqual(["new"]);
	});
});
