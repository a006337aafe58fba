// JSON nested too deep is refused at the edge with a 422, before anything parses it recursively
// (zod, the mapping, the ProcessObject's storage): every API operation, signed webhook deliveries
// (logged as refused, with the reason), and JSON typed into page forms (the admin import). Before,
// 2,000 levels made the API answer 500 and 3,400 levels made a signed webhook answer 500 without
// a log row.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { processIdFor, processStub } from "../../src/durable/process-client.ts";
import { MAX_JSON_DEPTH } from "../../src/json-depth.ts";
import { apiUser, json } from "./api-fixtures.ts";
import { makeUser, mintSession, postForm } from "./auth-fixtures.ts";
import { publish, workflow } from "./process-fixtures.ts";
import {
	deliveriesOf,
	makeTrigger,
	postHook,
	processRows,
	standardHeaders,
} from "./webhooks-fixtures.ts";

const WORKFLOW = "json-limits";

/** `{"a":{"a":…{"a":1}…}}` with `levels` objects. */
function nested(levels: number): string {
	return `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;
}

/** A start request whose params are nested `levels` deep in all (the body object counts). */
function deepStart(levels: number): string {
	return `{"workflowKey":"${WORKFLOW}","params":{"x":${nested(levels - 2)}}}`;
}

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
			{ startForm: { x: { label: "X", type: "json" }, text: { label: "Text", max: 5000 } } },
		),
	);
});

describe("the API", () => {
	it.each([2_000, 3_400])(
		"refuses a start nested %i levels deep with 422, starting nothing",
		async (levels) => {
			const admin = await apiUser({ isAdmin: true });
			const before = await processRows(WORKFLOW);
			const res = await json(admin, "/api/v1/processes", { body: deepStart(levels) });
			expect(res.status).toBe(422);
			expect(res.body).toMatchObject({
				code: "invalid_params",
				message: `The JSON is nested more than ${MAX_JSON_DEPTH} levels deep.`,
				details: { maxDepth: MAX_JSON_DEPTH },
			});
			expect(await processRows(WORKFLOW)).toBe(before);
		},
	);

	it("accepts params nested exactly to the limit and refuses one level more", async () => {
		const admin = await apiUser({ isAdmin: true });
		const ok = await json(admin, "/api/v1/processes", { body: deepStart(MAX_JSON_DEPTH) });
		expect(ok.status).toBe(201);
		const over = await json(admin, "/api/v1/processes", { body: deepStart(MAX_JSON_DEPTH + 1) });
		expect(over.status).toBe(422);
	});

	it("counts brackets inside strings as text, not nesting", async () => {
		const admin = await apiUser({ isAdmin: true });
		const body = JSON.stringify({
			workflowKey: WORKFLOW,
			params: { text: `${"[{".repeat(500)} \\" ${"}]".repeat(500)}` },
		});
		expect((await json(admin, "/api/v1/processes", { body })).status).toBe(201);
	});

	it.each([
		["POST", "/api/v1/workflows"],
		["POST", "/api/v1/workflows/validate"],
		["POST", "/api/v1/tasks/p-00000000000000000000000000000000%2Ft1/values"],
		["POST", "/api/v1/webhooks"],
		["PATCH", "/api/v1/webhooks/some-trigger"],
	])("refuses a deep body on %s %s too", async (method, path) => {
		const admin = await apiUser({ isAdmin: true });
		const res = await json(admin, path, { method, body: `{"values":${nested(2_000)}}` });
		expect(res.status).toBe(422);
		expect(res.body).toMatchObject({
			code: "invalid_params",
			details: { maxDepth: MAX_JSON_DEPTH },
		});
	});
});

describe("a signed webhook delivery", () => {
	it.each([2_000, 3_400])(
		"nested %i levels deep is refused with 422 and logged with the reason",
		async (levels) => {
			const key = await makeTrigger({
				workflowKey: WORKFLOW,
				mapping: { x: { from: "/x" } },
			});
			const before = await processRows(WORKFLOW);
			const body = `{"x":${nested(levels - 1)}}`;
			const res = await postHook(key, body, await standardHeaders(body));
			expect(res.status).toBe(422);
			expect(await res.json()).toMatchObject({
				code: "invalid_params",
				details: { reason: "too_deep", maxDepth: MAX_JSON_DEPTH },
			});
			expect(await processRows(WORKFLOW)).toBe(before);
			const log = await deliveriesOf(key);
			expect(log).toHaveLength(1);
			expect(log[0]).toMatchObject({
				status: "refused",
				http_status: 422,
				code: "invalid_params",
				reason: `too_deep: the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`,
			});
			expect(log[0]?.body).not.toBeNull();
		},
	);

	it("refuses a deep but unsigned delivery as unsigned (401), without parsing it", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping: {} });
		const body = `{"x":${nested(3_400)}}`;
		const headers = await standardHeaders(body);
		headers["webhook-signature"] = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
		const res = await postHook(key, body, headers);
		expect(res.status).toBe(401);
		expect((await deliveriesOf(key))[0]).toMatchObject({ status: "refused", http_status: 401 });
	});
});

describe("the delivery log", () => {
	it("keeps a delivery that failed unexpectedly, with the reason, and answers 500", async () => {
		const key = await makeTrigger({ workflowKey: WORKFLOW, mapping: {} });
		const id = "msg_crash_1";
		const stub = processStub(env, await processIdFor(`hook:${key}:${id}`));
		await stub.armFault("after-commit-before-send", 1);
		const body = "{}";
		const res = await postHook(key, body, await standardHeaders(body, { id }));
		expect(res.status).toBe(500);
		expect(await deliveriesOf(key)).toMatchObject([
			{ status: "refused", http_status: 500, code: "internal", delivery_id: id },
		]);
		expect((await deliveriesOf(key))[0]?.reason).toContain("injected fault");
	});
});

describe("JSON typed into a page form", () => {
	it("refuses a deep workflow import with 422 and the reason, and keeps no draft", async () => {
		const admin = await makeUser({ isAdmin: true });
		const session = await mintSession(admin);
		const text = `{"key":"deep-import","name":"Deep","nodes":[],"transitions":[],"x":${nested(2_000)}}`;
		const res = await postForm(
			"/admin/import",
			{ _csrf: session.csrf, format: "json", key: "", name: "", text },
			{ Cookie: session.cookie },
		);
		expect(res.status).toBe(422);
		expect(await res.text()).toContain(`nested more than ${MAX_JSON_DEPTH} levels deep`);
		const row = await env.DB.prepare(
			"SELECT count(*) AS n FROM workflows WHERE key = 'deep-import'",
		).first<{
			n: number;
		}>();
		expect(row?.n).toBe(0);
	});
});
