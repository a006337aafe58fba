// Rough edges of issue #17 found by trying the pages as a new user would: a process that ended at
// once does not say "The process has started."; the processes filter lists only the workflows of
// the processes a person may see.
import { describe, expect, it } from "vitest";
import { processHref } from "../../src/http/view-models/format.ts";
import { signedIn } from "./auth-fixtures.ts";
import { publish, start, waitFor, workflow } from "./process-fixtures.ts";

describe("the notice after a start", () => {
	it("says the process already ended when it failed before its page was read", async () => {
		await publish(
			workflow(
				"fails-at-once",
				[
					{
						key: "boom",
						name: "Boom",
						task: "error",
						start: true,
						end: true,
						params: { code: "NOPE" },
					},
				],
				[],
			),
		);
		const { processId } = await start("fails-at-once", {});
		await waitFor(processId, (v) => v.state.status === "FAILURE");
		const admin = await signedIn({ name: "edge-admin", isAdmin: true });
		const html = await (await admin.get(`${processHref(processId)}?notice=started`)).text();
		expect(html).not.toContain("The process has started.");
		expect(html).toContain("The process started and has already ended");
	});
});
