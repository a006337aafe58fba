// Events into running processes: a signed event is a message named "event" (N2) with the mapped
// correlation key. It completes the `event` task of the trigger's workflow that has waited longest
// for that key, with the payload as its result, once, however often it is delivered; an event that
// comes before its task waits is kept until the task waits.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { processStub } from "../../src/durable/process-client.ts";
import { boxContents, subscribed } from "./messages-fixtures.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";
import {
	deliver,
	deliveriesOf,
	makeTrigger,
	postHook,
	standardHeaders,
} from "./webhooks-fixtures.ts";

const PAYMENTS = "payments";
const OTHER = "refunds";
const mapping = { correlationKey: { from: "/order/id", required: true } };

function waitingFlow(key: string) {
	return workflow(
		key,
		[
			{ key: "paid", name: "Payment received", task: "event", start: true },
			{ key: "ship", task: "dummy", end: true },
		],
		[{ from: "paid", to: "ship" }],
		{ startForm: { correlationKey: { label: "Correlation key" } } },
	);
}

beforeAll(async () => {
	await publish(waitingFlow(PAYMENTS));
	await publish(waitingFlow(OTHER));
});

/** Starts a process whose `paid` task waits for `correlationKey`, and waits until its box knows. */
async function waitingProcess(workflowKey: string, correlationKey: string) {
	const { processId } = await start(workflowKey, { correlationKey });
	const v = await waitFor(processId, (p) => p.state.tasks[0]?.status === "STARTED");
	const taskId = v.state.tasks[0]?.id as string;
	await subscribed("event", correlationKey, taskId);
	return { processId, taskId };
}

let n = 0;
const orderKey = () => `order-${++n}-${Math.random().toString(36).slice(2, 7)}`;

describe("an event trigger", () => {
	it("completes the waiting task with the payload as its result, and the process moves on", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const order = orderKey();
		const { processId, taskId } = await waitingProcess(PAYMENTS, order);
		const payload = { order: { id: order, amount: 120 }, paidAt: "2026-11-20" };
		const res = await deliver(key, payload);
		expect(res.status).toBe(202);
		expect(await res.json()).toMatchObject({
			processId,
			taskId,
			url: `http://localhost/processes/${processId}`,
		});
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks.map((t) => `${t.node}:${t.status}`)).toEqual([
			"paid:SUCCESS",
			"ship:SUCCESS",
		]);
		expect(done.state.tasks[0]?.result).toEqual(payload);
		await expectIndexMatches(processId);
		const [logged] = await deliveriesOf(key);
		expect(logged).toMatchObject({ status: "accepted", process_id: processId, task_id: taskId });
	});

	it("N2 keeps an event no task waits for yet (202 keptUntil, logged), and the task that waits later takes it", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const order = orderKey();
		const payload = { order: { id: order }, paid: true };
		const res = await deliver(key, payload);
		expect(res.status).toBe(202);
		const body = (await res.json()) as { keptUntil: number; processId?: string };
		expect(body.keptUntil).toBeGreaterThan(Date.now() + 23 * 3600_000);
		expect(body.processId).toBeUndefined();
		const [logged] = await deliveriesOf(key);
		expect(logged).toMatchObject({
			status: "accepted",
			http_status: 202,
			process_id: null,
			reason: `kept until ${new Date(body.keptUntil).toISOString()}`,
		});
		expect((await boxContents("event", order)).kept).toHaveLength(1);

		const { processId } = await start(PAYMENTS, { correlationKey: order });
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		expect(done.state.tasks[0]?.result).toEqual(payload);
		await expectIndexMatches(processId);
		expect((await boxContents("event", order)).kept).toEqual([]);
	});

	it("delivers ten copies of one event (sent at once) exactly once, answering each the same", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const order = orderKey();
		const { processId, taskId } = await waitingProcess(PAYMENTS, order);
		const body = JSON.stringify({ order: { id: order } });
		const headers = await standardHeaders(body);
		const responses = await Promise.all(
			Array.from({ length: 10 }, () => postHook(key, body, headers)),
		);
		const answers = await Promise.all(
			responses.map(async (r) => ({ status: r.status, ...((await r.json()) as object) })),
		);
		for (const answer of answers) expect(answer).toMatchObject({ status: 202, processId, taskId });
		const history = await processStub(env, processId).history();
		expect(history.filter((e) => e.type === "TaskSucceeded" && e.taskId === taskId)).toHaveLength(
			1,
		);
		const logged = await deliveriesOf(key);
		expect(logged.filter((d) => d.status === "accepted")).toHaveLength(1);
		expect(logged.filter((d) => d.status === "duplicate")).toHaveLength(9);
		// Sent again after the task completed: still the same answer, not "no waiting task".
		const again = await postHook(key, body, headers);
		expect(again.status).toBe(202);
		expect(await again.json()).toMatchObject({ processId, taskId, duplicate: true });
	});

	it("does not complete a task of another workflow waiting for the same key: the event waits for its own", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const order = orderKey();
		const other = await waitingProcess(OTHER, order);
		const res = await deliver(key, { order: { id: order } });
		expect(res.status).toBe(202);
		expect(await res.json()).toMatchObject({ keptUntil: expect.any(Number) });
		expect((await view(other.processId)).state.tasks[0]?.status).toBe("STARTED");
		const own = await waitingProcess(PAYMENTS, order);
		await waitFor(own.processId, finished);
		expect((await view(other.processId)).state.tasks[0]?.status).toBe("STARTED");
	});

	it("gives one event to the task that has waited longest when two wait for the same key", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const order = orderKey();
		const first = await waitingProcess(PAYMENTS, order);
		const second = await waitingProcess(PAYMENTS, order);
		const res = await deliver(key, { order: { id: order } });
		expect(await res.json()).toMatchObject({ processId: first.processId });
		expect((await view(second.processId)).state.tasks[0]?.status).toBe("STARTED");
		const next = await deliver(key, { order: { id: order } });
		expect(await next.json()).toMatchObject({ processId: second.processId });
	});

	it("accepts a numeric correlation key as its text", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const id = 4_200_000 + Math.floor(Math.random() * 1000);
		const { processId } = await waitingProcess(PAYMENTS, String(id));
		const res = await deliver(key, { order: { id } });
		expect(await res.json()).toMatchObject({ processId });
	});

	it("refuses an event without a correlation key with 422 and changes nothing", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const res = await deliver(key, { order: {} });
		expect(res.status).toBe(422);
		expect(await res.json()).toMatchObject({ code: "invalid_params" });
	});

	it("refuses a forged event with 401 and completes nothing", async () => {
		const key = await makeTrigger({ kind: "event", workflowKey: PAYMENTS, mapping });
		const order = orderKey();
		const { processId } = await waitingProcess(PAYMENTS, order);
		const res = await deliver(
			key,
			{ order: { id: order } },
			{ secret: "whsec_Zm9yZ2VkIGZvcmdlZCBmb3JnZWQgZm9yZ2Vk" },
		);
		expect(res.status).toBe(401);
		expect((await view(processId)).state.tasks[0]?.status).toBe("STARTED");
	});
});
