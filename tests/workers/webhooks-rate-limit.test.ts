// The per-trigger rate limit counts verified deliveries only: anyone who knows a trigger's URL can
// send unsigned requests, and those must not use up the sender's own deliveries. Refused requests
// have their own count (same limit), past which they are answered 429 and no longer logged, so a
// flood cannot fill the delivery log either.
import { beforeAll, describe, expect, it } from "vitest";
import { publish, workflow } from "./process-fixtures.ts";
import {
	deliver,
	deliveriesOf,
	makeTrigger,
	OTHER_SECRET,
	postHook,
	standardHeaders,
} from "./webhooks-fixtures.ts";

const WORKFLOW = "rate-limited-orders";

beforeAll(async () => {
	await publish(
		workflow(
			WORKFLOW,
			[
				{
					key: "review",
					task: "ask",
					start: true,
					end: true,
					params: { questions: { ok: { label: "OK?", type: "checkbox", required: true } } },
				},
			],
			[],
		),
	);
});

describe("the per-trigger rate limit", () => {
	it("is not used up by a flood of unsigned requests: a signed delivery still starts its process", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping: {}, rateLimitPerMinute: 3 });
		const statuses: number[] = [];
		for (let i = 0; i < 10; i++) {
			const body = JSON.stringify({ n: i });
			const forged = await standardHeaders(body, { secret: OTHER_SECRET });
			statuses.push((await postHook(key, body, forged)).status);
			const unsigned = { "content-type": "application/json" };
			statuses.push((await postHook(key, body, unsigned)).status);
		}
		// 3 refusals a minute (6 should the minute turn during the loop), then 429s, not logged.
		const answered = statuses.filter((s) => s !== 429);
		expect(answered.length === 3 || answered.length === 6).toBe(true);
		expect(answered.every((s) => s === 400 || s === 401)).toBe(true);
		expect((await deliveriesOf(key)).map((d) => d.http_status)).toEqual(answered);

		const signed = await deliver(key, { real: true });
		expect(signed.status).toBe(202);
		expect(await signed.json()).toMatchObject({ processId: expect.stringMatching(/^p-/) });
	});

	it("is not used up by oversized unsigned requests either", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping: {}, rateLimitPerMinute: 2 });
		const big = "x".repeat(70 * 1024);
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++) {
			statuses.push((await postHook(key, big, { "content-type": "application/json" })).status);
		}
		expect(statuses.slice(0, 2)).toEqual([413, 413]);
		expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(2);
		expect((await deliver(key, { ok: 1 })).status).toBe(202);
	});
});
