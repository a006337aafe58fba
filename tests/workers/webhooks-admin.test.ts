// Managing triggers through /api/v1/webhooks, the delivery log, and replaying a refused delivery
// once its cause is fixed (judged as of its arrival, so a stale or forged one stays refused).
import { beforeAll, describe, expect, it } from "vitest";
import { type ApiUser, apiUser, json } from "./api-fixtures.ts";
import { publish, start, view, waitFor, workflow } from "./process-fixtures.ts";
import { deliver, nowSeconds, OTHER_SECRET, unique } from "./webhooks-fixtures.ts";

const WORKFLOW = "tickets";
const WAITING = "shipping";

let admin: ApiUser;

beforeAll(async () => {
	await publish(
		workflow(WORKFLOW, [{ key: "triage", task: "event", start: true, end: true }], [], {
			startForm: { title: { label: "Title" } },
		}),
	);
	await publish(
		workflow(
			WAITING,
			[
				{ key: "paid", task: "event", start: true },
				{ key: "ship", task: "dummy", end: true },
			],
			[{ from: "paid", to: "ship" }],
			{ startForm: { correlationKey: { label: "Correlation key" } } },
		),
	);
	admin = await apiUser({ isAdmin: true });
});

interface Created {
	trigger: { key: string; url: string; secrets: { hint: string; live: boolean }[] };
	secret: string | null;
}

async function createTrigger(body: Record<string, unknown>) {
	return json<Created>(admin, "/api/v1/webhooks", {
		body: {
			key: unique("t"),
			name: "Tickets",
			kind: "start",
			workflowKey: WORKFLOW,
			mapping: {},
			...body,
		},
	});
}

interface Delivery {
	id: string;
	status: string;
	httpStatus: number;
	reason: string | null;
	replayable: boolean;
	replayOf: string | null;
	processId: string | null;
}

async function log(key: string, query = "") {
	return (
		await json<{ items: Delivery[]; nextCursor: string | null }>(
			admin,
			`/api/v1/webhooks/${key}/deliveries${query}`,
		)
	).body;
}

describe("managing triggers", () => {
	it("creates a trigger with a generated secret shown once, then only its hint", async () => {
		const res = await createTrigger({ mapping: { title: { from: "/title", required: true } } });
		expect(res.status).toBe(201);
		const { trigger, secret } = res.body;
		expect(secret).toMatch(/^whsec_/);
		expect(trigger.url).toBe(`http://localhost/hooks/${trigger.key}`);
		const got = await json(admin, `/api/v1/webhooks/${trigger.key}`);
		expect(JSON.stringify(got.body)).not.toContain((secret as string).slice(6));
		expect(got.body).toMatchObject({
			secrets: [{ hint: `…${(secret as string).slice(-4)}`, live: true }],
		});
		const delivered = await deliver(
			trigger.key,
			{ title: "Printer on fire" },
			{ secret: secret as string },
		);
		expect(delivered.status).toBe(202);
	});

	it("refuses a bad trigger with 422 listing every problem", async () => {
		const res = await json<{ code: string; details: { issues: { path: string }[] } }>(
			admin,
			"/api/v1/webhooks",
			{
				body: {
					key: "Not A Key",
					name: "",
					kind: "event",
					scheme: "jwt",
					workflowKey: WORKFLOW,
					mapping: { orderId: { from: "a..b" } },
					secret: "short",
				},
			},
		);
		expect(res.status).toBe(422);
		const paths = res.body.details.issues.map((i) => i.path);
		expect(paths).toEqual(
			expect.arrayContaining([
				"key",
				"name",
				"jwt",
				"mapping.orderId.from",
				"mapping.correlationKey",
			]),
		);
		const unknownWorkflow = await createTrigger({ workflowKey: "no-such-workflow" });
		expect(unknownWorkflow).toMatchObject({ status: 422, body: { code: "invalid_params" } });
	});

	it("rotates a secret: the old one keeps working for the overlap, then stops", async () => {
		const { body } = await createTrigger({});
		const key = body.trigger.key;
		const rotated = await json<{ secret: string; previousValidUntil: number }>(
			admin,
			`/api/v1/webhooks/${key}/secrets`,
			{
				body: { overlapSeconds: 3600 },
			},
		);
		expect(rotated.status).toBe(201);
		expect(rotated.body.previousValidUntil).toBeGreaterThan(Date.now());
		expect((await deliver(key, {}, { secret: body.secret as string })).status).toBe(202);
		expect((await deliver(key, {}, { secret: rotated.body.secret })).status).toBe(202);
		const wrongFormat = await json(admin, `/api/v1/webhooks/${key}/secrets`, {
			body: { secret: "plain-text" },
		});
		expect(wrongFormat.status).toBe(422);
		await json(admin, `/api/v1/webhooks/${key}/secrets`, {
			body: { secret: OTHER_SECRET, overlapSeconds: 0 },
		});
		expect((await deliver(key, {}, { secret: rotated.body.secret })).status).toBe(401);
		expect((await deliver(key, {}, { secret: OTHER_SECRET })).status).toBe(202);
	});

	it("is for admins only; deleting a trigger closes its door", async () => {
		const user = await apiUser();
		expect((await json(user, "/api/v1/webhooks")).status).toBe(403);
		const { body } = await createTrigger({});
		const deleted = await json(admin, `/api/v1/webhooks/${body.trigger.key}`, { method: "DELETE" });
		expect(deleted.status).toBe(204);
		expect((await deliver(body.trigger.key, {}, { secret: body.secret as string })).status).toBe(
			404,
		);
	});
});

describe("the delivery log and replay", () => {
	it("records accepted and refused deliveries with their reasons, newest first, in pages", async () => {
		const { body } = await createTrigger({
			mapping: { title: { from: "/title", required: true } },
		});
		const key = body.trigger.key;
		const secret = body.secret as string;
		await deliver(key, { title: "ok" }, { secret });
		await deliver(key, { title: "forged" }, { secret: OTHER_SECRET });
		await deliver(key, { nothing: true }, { secret });
		await deliver(key, { title: "old" }, { secret, timestamp: nowSeconds() - 3600 });
		const page = await log(key);
		expect(page.items.map((d) => [d.status, d.httpStatus, d.reason])).toEqual([
			["refused", 401, "timestamp_too_old"],
			["refused", 422, "title: the payload has no value here"],
			["refused", 401, "bad_signature"],
			["accepted", 202, null],
		]);
		const first = await log(key, "?limit=3");
		expect(first.items).toHaveLength(3);
		const rest = await log(key, `?limit=3&cursor=${first.nextCursor}`);
		expect(rest.items.map((d) => d.status)).toEqual(["accepted"]);
		const refused = await log(key, "?status=refused");
		expect(refused.items).toHaveLength(3);
		const detail = await json<{ body: string; headers: Record<string, string> }>(
			admin,
			`/api/v1/webhook-deliveries/${refused.items[2]?.id}`,
		);
		expect(JSON.parse(detail.body.body)).toEqual({ title: "forged" });
		expect(detail.body.headers["webhook-id"]).toBeDefined();
	});

	it("replays a delivery refused for its payload once the mapping is fixed, starting the process", async () => {
		const { body } = await createTrigger({
			mapping: { title: { from: "/title", required: true } },
		});
		const key = body.trigger.key;
		const res = await deliver(
			key,
			{ subject: "Broken mapping" },
			{ secret: body.secret as string },
		);
		expect(res.status).toBe(422);
		const [refused] = (await log(key)).items;
		expect(refused).toMatchObject({ status: "refused", replayable: true });
		const fixed = await json(admin, `/api/v1/webhooks/${key}`, {
			method: "PATCH",
			body: { mapping: { title: { from: "/subject", required: true } } },
		});
		expect(fixed.status).toBe(200);
		const replay = await json<{ processId: string; logId: string }>(
			admin,
			`/api/v1/webhook-deliveries/${refused?.id}/replay`,
			{
				method: "POST",
			},
		);
		expect(replay.status).toBe(202);
		expect((await view(replay.body.processId)).state.params).toEqual({ title: "Broken mapping" });
		const [latest] = (await log(key)).items;
		expect(latest).toMatchObject({
			status: "accepted",
			replayOf: refused?.id,
			processId: replay.body.processId,
		});
		// Replaying it again finds the same process (it is the same delivery).
		const again = await json(admin, `/api/v1/webhook-deliveries/${refused?.id}/replay`, {
			method: "POST",
		});
		expect(again.body).toMatchObject({ processId: replay.body.processId, duplicate: true });
		const accepted = await json(admin, `/api/v1/webhook-deliveries/${latest?.id}/replay`, {
			method: "POST",
		});
		expect(accepted).toMatchObject({ status: 409, body: { code: "conflict" } });
	});

	it("replays a delivery signed with a secret the trigger lacked, once that secret is added", async () => {
		const { body } = await createTrigger({});
		const key = body.trigger.key;
		expect((await deliver(key, { n: 1 }, { secret: OTHER_SECRET })).status).toBe(401);
		const [refused] = (await log(key)).items;
		await json(admin, `/api/v1/webhooks/${key}/secrets`, { body: { secret: OTHER_SECRET } });
		const replay = await json(admin, `/api/v1/webhook-deliveries/${refused?.id}/replay`, {
			method: "POST",
		});
		expect(replay.status).toBe(202);
	});

	it("keeps a stale or forged delivery refused on replay", async () => {
		const { body } = await createTrigger({});
		const key = body.trigger.key;
		await deliver(key, {}, { secret: body.secret as string, timestamp: nowSeconds() - 3600 });
		await deliver(key, {}, { secret: OTHER_SECRET });
		const objects = (await log(key)).items;
		for (const refused of objects) {
			const replay = await json(admin, `/api/v1/webhook-deliveries/${refused.id}/replay`, {
				method: "POST",
			});
			expect(replay).toMatchObject({ status: 401, body: { code: "unauthorized" } });
		}
		expect((await log(key, "?status=accepted")).items).toEqual([]);
	});

	it("replays an event refused while its trigger was disabled: the task waiting now takes it", async () => {
		const res = await json<Created>(admin, "/api/v1/webhooks", {
			body: {
				key: unique("ev"),
				name: "Payments",
				kind: "event",
				workflowKey: WAITING,
				mapping: { correlationKey: { from: "/order" } },
				enabled: false,
			},
		});
		const key = res.body.trigger.key;
		const order = unique("order");
		const refused = await deliver(
			key,
			{ order, paid: true },
			{ secret: res.body.secret as string },
		);
		expect(refused.status).toBe(404);
		await json(admin, `/api/v1/webhooks/${key}`, { method: "PATCH", body: { enabled: true } });
		const { processId } = await start(WAITING, { correlationKey: order });
		const [logged] = (await log(key)).items;
		const replay = await json(admin, `/api/v1/webhook-deliveries/${logged?.id}/replay`, {
			method: "POST",
		});
		expect(replay.status).toBe(202);
		const done = await waitFor(processId, (v) => v.state.status === "SUCCESS");
		expect(done.state.tasks[0]?.result).toEqual({ order, paid: true });
	});
});
