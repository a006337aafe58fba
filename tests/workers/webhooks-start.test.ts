// POST /hooks/:trigger with Standard Webhooks signatures: a signed delivery starts one process with
// the mapped params; every forged, stale, tampered or malformed delivery starts nothing.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { rotateSecret } from "../../src/db/webhooks.ts";
import { utf8 } from "../../src/webhooks/bytes.ts";
import { signStandard } from "../../src/webhooks/standard-webhooks.ts";
import { expectIndexMatches, publish, view, workflow } from "./process-fixtures.ts";
import {
	deliver,
	deliveriesOf,
	makeTrigger,
	nowSeconds,
	OTHER_SECRET,
	postHook,
	processObjects,
	processRows,
	SECRET,
	standardHeaders,
	unique,
} from "./webhooks-fixtures.ts";

const WORKFLOW = "orders";

const mapping = {
	orderId: { from: "/order/id", type: "string", required: true },
	amount: { from: "order.total", type: "number", default: 0 },
	channel: { value: "shop" },
} as const;

const order = { order: { id: "A-42", total: 99.5, secret: "not mapped" } };

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
					params: {
						questions: { ok: { label: "Looks right?", type: "checkbox", required: true } },
					},
				},
			],
			[],
			{
				startForm: {
					orderId: { label: "Order" },
					amount: { label: "Amount", type: "number" },
					channel: { label: "Channel" },
				},
			},
		),
	);
});

/** Sends a delivery that must be refused and proves that nothing was started or written. */
async function expectRefusedWithoutEffect(
	send: () => Promise<Response>,
	status: number,
	code: string,
): Promise<Record<string, unknown>> {
	const [rowsBefore, objectsBefore] = [await processRows(WORKFLOW), await processObjects()];
	const res = await send();
	const body = (await res.json()) as Record<string, unknown>;
	expect({ status: res.status, code: body.code }).toEqual({ status, code });
	expect(typeof body.message).toBe("string");
	expect(await processRows(WORKFLOW)).toBe(rowsBefore);
	expect(await processObjects()).toBe(objectsBefore);
	return body;
}

describe("a start trigger (Standard Webhooks)", () => {
	it("starts a process with the mapped params when the delivery is correctly signed", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const res = await deliver(key, order);
		expect(res.status).toBe(202);
		const body = (await res.json()) as { processId: string; url: string; deliveryId: string };
		expect(body.url).toBe(`http://localhost/processes/${body.processId}`);
		const v = await view(body.processId);
		expect(v.state.status).toBe("STARTED");
		expect(v.state.params).toEqual({ orderId: "A-42", amount: 99.5, channel: "shop" });
		expect(v.startedBy).toBe(`hook:${key}`);
		await expectIndexMatches(body.processId);
		const [logged] = await deliveriesOf(key);
		expect(logged).toMatchObject({
			status: "accepted",
			http_status: 202,
			process_id: body.processId,
			delivery_id: body.deliveryId,
		});
	});

	it("uses defaults for missing optional values and never passes unmapped fields", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const res = await deliver(key, { order: { id: "B-1" }, role: "admin", status: "SUCCESS" });
		const { processId } = (await res.json()) as { processId: string };
		expect((await view(processId)).state.params).toEqual({
			orderId: "B-1",
			amount: 0,
			channel: "shop",
		});
	});

	it("starts exactly one process for the same delivery sent ten times, one after another", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const body = JSON.stringify(order);
		const headers = await standardHeaders(body);
		const before = await processObjects();
		const answers = [];
		for (let i = 0; i < 10; i++) {
			const res = await postHook(key, body, headers);
			expect(res.status).toBe(202);
			answers.push((await res.json()) as { processId: string; url: string });
		}
		expect(new Set(answers.map((a) => `${a.processId} ${a.url}`)).size).toBe(1);
		expect(await processObjects()).toBe(before + 1);
		const logged = await deliveriesOf(key);
		expect(logged.map((d) => d.status)).toEqual(["accepted", ...Array(9).fill("duplicate")]);
	});

	it("starts exactly one process for ten copies of a delivery arriving at once", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const body = JSON.stringify(order);
		const headers = await standardHeaders(body);
		const before = await processObjects();
		const responses = await Promise.all(
			Array.from({ length: 10 }, () => postHook(key, body, headers)),
		);
		const answers = await Promise.all(
			responses.map(async (r) => ({
				status: r.status,
				...((await r.json()) as { processId: string; url: string }),
			})),
		);
		expect(answers.every((a) => a.status === 202)).toBe(true);
		expect(new Set(answers.map((a) => `${a.processId} ${a.url}`)).size).toBe(1);
		expect(await processObjects()).toBe(before + 1);
		const rows = await env.DB.prepare("SELECT count(*) AS n FROM processes WHERE id = ?1")
			.bind(answers[0]?.processId)
			.first<{ n: number }>();
		expect(rows?.n).toBe(1);
		const logged = await deliveriesOf(key);
		expect(logged.filter((d) => d.status === "accepted")).toHaveLength(1);
		expect(logged.filter((d) => d.status === "duplicate")).toHaveLength(9);
	});

	it("refuses a forged signature with 401 and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const body = JSON.stringify(order);
		const headers = await standardHeaders(body);
		headers["webhook-signature"] = `v1,${btoa("x".repeat(32))}`;
		const answer = await expectRefusedWithoutEffect(
			() => postHook(key, body, headers),
			401,
			"unauthorized",
		);
		expect(answer.details).toEqual({ reason: "bad_signature" });
	});

	it("refuses a signature made with another secret with 401 and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		await expectRefusedWithoutEffect(
			() => deliver(key, order, { secret: OTHER_SECRET }),
			401,
			"unauthorized",
		);
	});

	it("refuses a tampered body (signed, then changed) with 401 and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const headers = await standardHeaders(JSON.stringify(order));
		const tampered = JSON.stringify({ order: { ...order.order, total: 1 } });
		await expectRefusedWithoutEffect(() => postHook(key, tampered, headers), 401, "unauthorized");
	});

	it("refuses a signature over re-serialized JSON instead of the raw bytes", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const raw = '{ "order": {"id": "A-42", "total": 99.5} }';
		const headers = await standardHeaders(JSON.stringify(JSON.parse(raw)));
		await expectRefusedWithoutEffect(() => postHook(key, raw, headers), 401, "unauthorized");
	});

	it("refuses a timestamp more than five minutes old with 401 and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const answer = await expectRefusedWithoutEffect(
			() => deliver(key, order, { timestamp: nowSeconds() - 6 * 60 }),
			401,
			"unauthorized",
		);
		expect(answer.details).toEqual({ reason: "timestamp_too_old" });
	});

	it("refuses a timestamp more than five minutes ahead with 401 and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const answer = await expectRefusedWithoutEffect(
			() => deliver(key, order, { timestamp: nowSeconds() + 6 * 60 }),
			401,
			"unauthorized",
		);
		expect(answer.details).toEqual({ reason: "timestamp_in_future" });
	});

	it("accepts a timestamp four minutes old", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const res = await deliver(key, order, { timestamp: nowSeconds() - 4 * 60 });
		expect(res.status).toBe(202);
	});

	it("refuses missing signature headers with 400, each of the three, and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const body = JSON.stringify(order);
		for (const header of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
			const headers = await standardHeaders(body);
			delete headers[header];
			const answer = await expectRefusedWithoutEffect(
				() => postHook(key, body, headers),
				400,
				"invalid_request",
			);
			expect(answer.details).toEqual({ reason: "missing_headers" });
		}
	});

	it("refuses a webhook-id containing '.' or a non-numeric timestamp with 400", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const body = JSON.stringify(order);
		const dotted = await standardHeaders(body, { id: "msg.1" });
		await expectRefusedWithoutEffect(() => postHook(key, body, dotted), 400, "invalid_request");
		const headers = await standardHeaders(body);
		headers["webhook-timestamp"] = `${nowSeconds()}.5`;
		await expectRefusedWithoutEffect(() => postHook(key, body, headers), 400, "invalid_request");
	});

	it("refuses when several signatures are sent and none is valid, and accepts when one is", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const body = JSON.stringify(order);
		const headers = await standardHeaders(body);
		const good = headers["webhook-signature"] as string;
		const wrong = await signStandard(
			OTHER_SECRET,
			headers["webhook-id"] as string,
			headers["webhook-timestamp"] as string,
			utf8(body),
		);
		headers["webhook-signature"] = `${wrong} v1a,${btoa("y".repeat(64))} v2,abc`;
		await expectRefusedWithoutEffect(() => postHook(key, body, headers), 401, "unauthorized");
		headers["webhook-signature"] = `${wrong} ${good}`;
		expect((await postHook(key, body, headers)).status).toBe(202);
	});

	it("refuses a body over 64 KiB with 413 before verifying, and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const big = JSON.stringify({ order: { id: "A-1", pad: "x".repeat(64 * 1024) } });
		const headers = await standardHeaders(big);
		await expectRefusedWithoutEffect(() => postHook(key, big, headers), 413, "payload_too_large");
		const [logged] = await deliveriesOf(key);
		expect(logged).toMatchObject({ status: "refused", http_status: 413, body: null });
	});

	it("refuses a chunked body over 64 KiB (no Content-Length) with 413", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const big = utf8(JSON.stringify({ pad: "x".repeat(70 * 1024) }));
		const stream = new ReadableStream<Uint8Array>({
			start(controller) {
				for (let i = 0; i < big.length; i += 8192) controller.enqueue(big.slice(i, i + 8192));
				controller.close();
			},
		});
		const headers = await standardHeaders("{}");
		await expectRefusedWithoutEffect(
			() => postHook(key, stream, headers),
			413,
			"payload_too_large",
		);
	});

	it("accepts a body of exactly 64 KiB", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping: { orderId: { from: "id" } } });
		const prefix = '{"id":"x","pad":"';
		const body = `${prefix}${"y".repeat(64 * 1024 - prefix.length - 2)}"}`;
		expect(utf8(body).length).toBe(64 * 1024);
		expect((await postHook(key, body, await standardHeaders(body))).status).toBe(202);
	});

	it("refuses a payload the mapping rejects with 422, every problem listed, and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const answer = await expectRefusedWithoutEffect(
			() => deliver(key, { order: { total: "lots" } }),
			422,
			"invalid_params",
		);
		expect(answer.details).toEqual({
			problems: [
				{ param: "orderId", from: "/order/id", message: "the payload has no value here" },
				{
					param: "amount",
					from: "order.total",
					message: expect.stringContaining("expected number"),
				},
			],
		});
		const [logged] = await deliveriesOf(key);
		expect(logged?.reason).toContain("orderId");
	});

	it("refuses a body that is not JSON with 400 and starts nothing", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		const body = "order=A-42";
		await expectRefusedWithoutEffect(
			async () => postHook(key, body, await standardHeaders(body)),
			400,
			"invalid_request",
		);
	});

	it("answers 404 for an unknown trigger and for a disabled one, and starts nothing", async () => {
		await expectRefusedWithoutEffect(() => deliver("no-such-trigger", order), 404, "not_found");
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping, enabled: false });
		await expectRefusedWithoutEffect(() => deliver(key, order), 404, "not_found");
		const [logged] = await deliveriesOf(key);
		expect(logged?.reason).toBe("trigger_disabled");
	});

	it("refuses a delivery for a workflow that has no published version, logged", async () => {
		const key = await makeTrigger({ workflowKey: "never-published", mapping: {} });
		await expectRefusedWithoutEffect(() => deliver(key, {}), 404, "not_found");
		const [logged] = await deliveriesOf(key);
		expect(logged).toMatchObject({ status: "refused", code: "not_found" });
	});
});

describe("secret rotation", () => {
	it("accepts both secrets during the overlap and only the new one after it", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping });
		await rotateSecret(env.DB, key, OTHER_SECRET, {
			now: Date.now(),
			by: "test",
			overlapMs: 60_000,
		});
		expect((await deliver(key, order, { secret: SECRET })).status).toBe(202);
		expect((await deliver(key, order, { secret: OTHER_SECRET })).status).toBe(202);
		// The overlap ends: rotating again with no overlap leaves only the newest secret.
		const third = "whsec_dGhpcmQgc2VjcmV0IGZvciByb3RhdGlvbiB0ZXN0cw==";
		await rotateSecret(env.DB, key, third, { now: Date.now(), by: "test", overlapMs: 60_000 });
		expect((await deliver(key, order, { secret: SECRET })).status).toBe(401);
		expect((await deliver(key, order, { secret: OTHER_SECRET })).status).toBe(202);
		expect((await deliver(key, order, { secret: third })).status).toBe(202);
		await env.DB.prepare(
			"UPDATE webhook_secrets SET expires_at = ?1 WHERE trigger_key = ?2 AND expires_at IS NOT NULL",
		)
			.bind(Date.now() - 1, key)
			.run();
		expect((await deliver(key, order, { secret: OTHER_SECRET })).status).toBe(401);
		expect((await deliver(key, order, { secret: third })).status).toBe(202);
	});

	it("accepts a delivery carrying both signatures while a sender rotates", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping }, OTHER_SECRET);
		const body = JSON.stringify(order);
		const headers = await standardHeaders(body);
		const theirNew = headers["webhook-signature"];
		const id = headers["webhook-id"] as string;
		const ts = headers["webhook-timestamp"] as string;
		const theirOld = await signStandard(OTHER_SECRET, id, ts, utf8(body));
		headers["webhook-signature"] = `${theirNew} ${theirOld}`;
		expect((await postHook(key, body, headers)).status).toBe(202);
	});
});

describe("the per-trigger rate limit", () => {
	it("answers 429 with Retry-After past the trigger's limit per minute", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping, rateLimitPerMinute: 3 });
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await deliver(key, order)).status);
		expect(statuses.slice(0, 3)).toEqual([202, 202, 202]);
		const res = await deliver(key, order);
		expect(res.status).toBe(429);
		const retryAfter = Number(res.headers.get("Retry-After"));
		expect(retryAfter).toBeGreaterThanOrEqual(1);
		expect(retryAfter).toBeLessThanOrEqual(60);
		expect(await res.json()).toMatchObject({ code: "rate_limited" });
		expect(statuses[3]).toBe(429);
		void unique;
	});
});
