// Messages between processes and from outside (N1–N3, S4): each published message goes to exactly
// one waiting task, the one that has waited longest, or is kept until one waits or its time-to-live
// ends; never lost, never doubled, whatever the order of publish and subscribe, and however often
// it is published again. A message start starts one process per message.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { processIdFor, processStub } from "../../src/durable/process-client.ts";
import type { ProcessView } from "../../src/durable/process-object.ts";
import { messageBox } from "../../src/messages/message.ts";
import { type ApiUser, apiUser, json } from "./api-fixtures.ts";
import { boxContents, boxStub, subscribed } from "./messages-fixtures.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	view,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

const NAME = "order-paid";
const WAITING = "msg-waiting";
const STARTS = "msg-starts";
const STARTS_ON = "order-placed";
const SENDER = "msg-sender";

let admin: ApiUser;

/** A process that waits, right after it starts, for NAME with its `order` param as the key. */
function waitingFlow(key: string) {
	return workflow(
		key,
		[
			{ key: "begin", task: "dummy", start: true, inline: true },
			{
				key: "wait",
				task: "message",
				params: { message: NAME, correlationKey: "= params.order" },
			},
			{ key: "end", task: "dummy", end: true },
		],
		[
			{ from: "begin", to: "wait" },
			{ from: "wait", to: "end" },
		],
		{ startForm: { order: { label: "Order" } } },
	);
}

beforeAll(async () => {
	await publish(waitingFlow(WAITING));
	await publish(
		workflow(
			STARTS,
			[
				{ key: "placed", task: "message", start: true, params: { message: STARTS_ON } },
				{ key: "end", task: "dummy", end: true },
			],
			[{ from: "placed", to: "end" }],
		),
	);
	await publish(
		workflow(
			SENDER,
			[
				{
					key: "send",
					task: "send",
					start: true,
					end: true,
					params: {
						message: NAME,
						correlationKey: "= params.order",
						payload: "= {paid: true, order: params.order}",
					},
				},
			],
			[],
			{ startForm: { order: { label: "Order" } } },
		),
	);
	admin = await apiUser({ isAdmin: true });
});

interface Answer {
	messageId: string;
	status: "delivered" | "kept" | "expired" | "started";
	processId?: string;
	taskId?: string;
	url?: string;
	keptUntil?: number;
	started: { workflowKey: string; processId: string; url: string }[];
	notStarted: { workflowKey: string; message: string }[];
	duplicate?: boolean;
}

function publishMessage(body: Record<string, unknown>, who: ApiUser | null = admin) {
	return json<Answer>(who, "/api/v1/messages", { body });
}

let n = 0;
const uniqueKey = (prefix: string) => `${prefix}-${++n}-${Math.random().toString(36).slice(2, 7)}`;

const waitTask = (v: ProcessView) => v.state.tasks.find((t) => t.node === "wait");

/** Starts a process of WAITING and resolves once its wait is in the box's queue. */
async function waitingProcess(correlationKey: string) {
	const { processId } = await start(WAITING, { order: correlationKey });
	const v = await waitFor(processId, (p) => waitTask(p)?.status === "STARTED");
	const taskId = waitTask(v)?.id as string;
	await subscribed(NAME, correlationKey, taskId);
	return { processId, taskId };
}

/** The process ended with its wait succeeded on `payload`, taken exactly once. */
async function expectTookOnce(processId: string, payload: unknown) {
	const done = await waitFor(processId, finished);
	expect(done.state.status).toBe("SUCCESS");
	expect(waitTask(done)?.result).toEqual(payload);
	const history = await processStub(env, processId).history();
	expect(history.filter((e) => e.type === "MessageReceived")).toHaveLength(1);
	await expectIndexMatches(processId);
}

describe("publishing a message", () => {
	it("N2 a message nobody waits for is kept (202), and the process that waits later takes it once", async () => {
		const key = uniqueKey("early");
		const payload = { amount: 120, paidAt: "2026-12-01" };
		const kept = await publishMessage({ name: NAME, correlationKey: key, messageId: key, payload });
		expect(kept.status).toBe(202);
		expect(kept.body).toMatchObject({ messageId: key, status: "kept", started: [] });
		expect(kept.body.keptUntil).toBeGreaterThan(Date.now() + 23 * 3600_000);
		expect((await boxContents(NAME, key)).kept).toEqual([
			{ id: `api:${key}`, expiresAt: kept.body.keptUntil, payload },
		]);

		const { processId } = await start(WAITING, { order: key });
		await expectTookOnce(processId, payload);
		const box = await boxContents(NAME, key);
		expect(box.kept).toEqual([]);
		expect(box.subscribers).toEqual([]);

		const again = await publishMessage({
			name: NAME,
			correlationKey: key,
			messageId: key,
			payload,
		});
		expect(again.status).toBe(200);
		expect(again.body).toMatchObject({ status: "delivered", processId, duplicate: true });
	});

	it("N1 a waiting task takes a message at once: the answer names its process and task", async () => {
		const key = uniqueKey("waiting");
		const { processId, taskId } = await waitingProcess(key);
		const res = await publishMessage({ name: NAME, correlationKey: key, payload: "paid" });
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({
			status: "delivered",
			processId,
			taskId,
			url: `http://localhost/processes/${processId}`,
		});
		await expectTookOnce(processId, "paid");
	});

	it("N1/N2 a message published while its task is being created is delivered exactly once, in either order", async () => {
		const runs = Array.from({ length: 6 }, (_, i) => i);
		await Promise.all(
			runs.map(async (i) => {
				const key = uniqueKey(`race${i}`);
				const payload = { run: i };
				const startIt = () => start(WAITING, { order: key });
				const publishIt = () => publishMessage({ name: NAME, correlationKey: key, payload });
				const [{ processId }, published] =
					i % 2 === 0
						? await Promise.all([startIt(), publishIt()])
						: await Promise.all([publishIt(), startIt()]).then(([p, s]) => [s, p] as const);
				expect(["delivered", "kept"]).toContain(published.body.status);
				await expectTookOnce(processId, payload);
				const box = await boxContents(NAME, key);
				expect(box.kept).toEqual([]);
				expect(box.subscribers).toEqual([]);
			}),
		);
	});

	it("N1 two tasks wait for the same message: each message goes to exactly one, the longest-waiting first", async () => {
		const key = uniqueKey("two");
		const first = await waitingProcess(key);
		const second = await waitingProcess(key);
		const one = await publishMessage({ name: NAME, correlationKey: key, payload: 1 });
		expect(one.body).toMatchObject({ status: "delivered", processId: first.processId });
		const two = await publishMessage({ name: NAME, correlationKey: key, payload: 2 });
		expect(two.body).toMatchObject({ status: "delivered", processId: second.processId });
		await expectTookOnce(first.processId, 1);
		await expectTookOnce(second.processId, 2);

		// Published together, two messages still go to two different tasks.
		const third = await waitingProcess(key);
		const fourth = await waitingProcess(key);
		const answers = await Promise.all(
			[3, 4].map((payload) => publishMessage({ name: NAME, correlationKey: key, payload })),
		);
		const takers = answers.map((a) => a.body.processId);
		expect(new Set(takers)).toEqual(new Set([third.processId, fourth.processId]));
		for (const [i, a] of answers.entries()) await expectTookOnce(a.body.processId as string, i + 3);
		expect(await boxContents(NAME, key)).toMatchObject({ kept: [], subscribers: [] });
	});

	it("N2 a message published again with its messageId (a retry, a replayed outbox) is delivered once", async () => {
		const key = uniqueKey("replay");
		const { processId, taskId } = await waitingProcess(key);
		const body = { name: NAME, correlationKey: key, messageId: `m-${key}`, payload: "once" };
		const answers = await Promise.all(Array.from({ length: 5 }, () => publishMessage(body)));
		for (const a of answers) {
			expect(a.body).toMatchObject({ status: "delivered", processId, taskId });
		}
		expect(answers.filter((a) => a.body.duplicate !== true)).toHaveLength(1);
		await expectTookOnce(processId, "once");
		// Another message for the same key is not given to the task that already took one.
		const next = await publishMessage({ name: NAME, correlationKey: key, payload: "next" });
		expect(next.body.status).toBe("kept");
	});

	it("N2 a kept message expires with its time-to-live: the box's alarm drops it, a later wait does not get it", async () => {
		const key = uniqueKey("ttl");
		const body = { name: NAME, correlationKey: key, messageId: key, payload: "late", ttl: 1 };
		const kept = await publishMessage(body);
		expect(kept.body).toMatchObject({ status: "kept" });
		expect(kept.body.keptUntil).toBeLessThanOrEqual(Date.now() + 1_000);
		await new Promise((r) => setTimeout(r, 1_100));
		// The alarm may already have fired on its own; either way it is the alarm that expired it.
		await runDurableObjectAlarm(boxStub(NAME, key));
		const box = await boxContents(NAME, key);
		expect(box.kept).toEqual([]);
		expect(box.known).toEqual([{ id: `api:${key}`, status: "expired" }]);

		const { processId, taskId } = await waitingProcess(key);
		expect(waitTask(await view(processId))?.status).toBe("STARTED");
		const again = await publishMessage(body);
		expect(again.body).toMatchObject({ status: "expired", duplicate: true });
		expect(waitTask(await view(processId))?.status).toBe("STARTED");
		expect((await boxContents(NAME, key)).subscribers.map((s) => s.taskId)).toEqual([taskId]);
	});

	it("N1/T8 a task that stops waiting leaves the queue, and one that no longer waits is passed over", async () => {
		const key = uniqueKey("passed");
		const gone = await waitingProcess(key);
		const next = await waitingProcess(key);
		await processStub(env, gone.processId).execute({ type: "StopProcess" }, "stop");
		// The revoked wait's Unsubscribe reaches the box from the process's outbox.
		await waitFor(gone.processId, finished);
		await expectIndexMatches(gone.processId);
		const box = await boxContents(NAME, key);
		expect(box.subscribers.map((s) => s.taskId)).toEqual([next.taskId]);
		// A Subscribe replayed after its Unsubscribe puts the task back first in line: the box asks,
		// the process answers delivered: false (T8), and the message goes to the next task.
		await messageBox(env, NAME, key).subscribe({
			name: NAME,
			correlationKey: key,
			processId: gone.processId,
			taskId: gone.taskId,
			workflowKey: WAITING,
			since: 0,
		});
		const res = await publishMessage({ name: NAME, correlationKey: key, payload: "for next" });
		expect(res.body).toMatchObject({ status: "delivered", processId: next.processId });
		await expectTookOnce(next.processId, "for next");
		expect((await view(gone.processId)).state.status).toBe("REVOKED");
		expect((await boxContents(NAME, key)).subscribers).toEqual([]);
	});

	it("N2/G6 a delivery whose answer was lost is asked again of the same task, never given to a second", async () => {
		const key = uniqueKey("lost");
		const first = await waitingProcess(key);
		const second = await waitingProcess(key);
		const messageId = `api:${key}`;
		// The box sent the message to the first task and died before it heard the answer: the task
		// took it, and the box has only its record of the offer and the alarm armed before sending.
		const answer = await processStub(env, first.processId).execute(
			{
				type: "DeliverMessage",
				taskId: first.taskId,
				messageId,
				name: NAME,
				correlationKey: key,
				payload: "lost answer",
			},
			`message:${messageId}:${first.taskId}`,
		);
		expect(answer).toMatchObject({ ok: true, reply: { delivered: true } });
		await runInDurableObject(boxStub(NAME, key), async (_box, state) => {
			state.storage.sql.exec(
				`INSERT INTO messages (id, status, payload, keep, published_at, expires_at, forget_at,
				 offered_process, offered_task) VALUES (?, 'kept', ?, 1, ?, ?, ?, ?, ?)`,
				messageId,
				JSON.stringify("lost answer"),
				Date.now(),
				Date.now() + 60_000,
				Date.now() + 60_000,
				first.processId,
				first.taskId,
			);
			await state.storage.setAlarm(Date.now() + 60_000);
		});
		expect(await runDurableObjectAlarm(boxStub(NAME, key))).toBe(true);
		const box = await boxContents(NAME, key);
		expect(box.known).toEqual([{ id: messageId, status: "delivered" }]);
		expect(box.subscribers.map((s) => s.taskId)).toEqual([second.taskId]);
		await expectTookOnce(first.processId, "lost answer");
		expect(waitTask(await view(second.processId))?.status).toBe("STARTED");
	});
});

describe("between processes", () => {
	it("N2 a send task's message reaches the process waiting for it, once", async () => {
		const key = uniqueKey("p2p");
		const receiver = await waitingProcess(key);
		const { processId: sender } = await start(SENDER, { order: key });
		const sent = await waitFor(sender, finished);
		expect(sent.state.status).toBe("SUCCESS");
		const messageId = sent.state.tasks[0]?.result;
		expect(messageId).toBe(`${sent.state.tasks[0]?.id}#1`);
		await expectTookOnce(receiver.processId, { paid: true, order: key });
		await expectIndexMatches(sender);
		expect((await boxContents(NAME, key)).known).toEqual([{ id: messageId, status: "delivered" }]);
	});

	it("N2 a message sent before anyone waits is kept, and the process that waits later takes it", async () => {
		const key = uniqueKey("p2p-early");
		const { processId: sender } = await start(SENDER, { order: key });
		await waitFor(sender, finished);
		await expectIndexMatches(sender);
		expect((await boxContents(NAME, key)).kept).toHaveLength(1);
		const { processId } = await start(WAITING, { order: key });
		await expectTookOnce(processId, { paid: true, order: key });
	});
});

describe("message starts", () => {
	it("N3/S4 a message starts one process of each workflow that starts on it, once per message id", async () => {
		const ids = [uniqueKey("placed"), uniqueKey("placed")];
		const answers = [];
		for (const messageId of ids) {
			answers.push(await publishMessage({ name: STARTS_ON, messageId, payload: { messageId } }));
		}
		const expected = await Promise.all(
			ids.map((id) => processIdFor(`message:${STARTS}:api:${id}`)),
		);
		for (const [i, a] of answers.entries()) {
			expect(a.status).toBe(200);
			expect(a.body).toMatchObject({
				status: "started",
				started: [{ workflowKey: STARTS, processId: expected[i] }],
				notStarted: [],
			});
		}
		const again = await publishMessage({ name: STARTS_ON, messageId: ids[0], payload: {} });
		expect(again.body).toMatchObject({
			status: "started",
			started: [{ workflowKey: STARTS, processId: expected[0] }],
			duplicate: true,
		});
		for (const [i, processId] of expected.entries()) {
			const done = await waitFor(processId, finished);
			expect(done.state.workflow.key).toBe(STARTS);
			expect(done.startedBy).toBe(admin.id);
			expect(done.state.status).toBe("SUCCESS");
			expect(done.state.tasks[0]).toMatchObject({
				node: "placed",
				status: "SUCCESS",
				result: { messageId: ids[i] },
			});
			await expectIndexMatches(processId);
		}
		// Not kept for a later wait: the processes it started took it.
		expect((await boxContents(STARTS_ON, "")).kept).toEqual([]);
	});
});

describe("who may publish, and what", () => {
	async function expectNothingKept(key: string) {
		expect(await boxContents(NAME, key)).toEqual({ subscribers: [], kept: [], known: [] });
	}

	it("refuses unknown fields, a missing name, a bad id or time-to-live with 422, and keeps nothing", async () => {
		const key = uniqueKey("bad");
		const bodies = [
			{ name: NAME, correlationKey: key, status: "SUCCESS" },
			{ correlationKey: key, payload: 1 },
			{ name: "", correlationKey: key },
			{ name: NAME, correlationKey: key, messageId: "with space" },
			{ name: NAME, correlationKey: key, ttl: 31 * 24 * 3600 },
			{ name: NAME, correlationKey: key, ttl: 0 },
			{ name: "x".repeat(201), correlationKey: key },
		];
		for (const body of bodies) {
			const res = await json<{ code: string; details: { issues: unknown[] } }>(
				admin,
				"/api/v1/messages",
				{ body },
			);
			expect(res.status, JSON.stringify(body)).toBe(422);
			expect(res.body.code).toBe("invalid_params");
			expect(res.body.details.issues.length).toBeGreaterThan(0);
		}
		await expectNothingKept(key);
	});

	it("refuses a payload over the API's 64 KiB with 413", async () => {
		const key = uniqueKey("big");
		const res = await publishMessage({
			name: NAME,
			correlationKey: key,
			payload: "x".repeat(65 * 1024),
		});
		expect(res.status).toBe(413);
		expect(res.body).toMatchObject({ code: "payload_too_large" });
		await expectNothingKept(key);
	});

	it("lets only admins publish: a token without messages:publish gets 403 naming it, a non-admin 403", async () => {
		const key = uniqueKey("who");
		const body = { name: NAME, correlationKey: key, payload: 1 };
		const unscoped = await apiUser({
			isAdmin: true,
			scopes: ["read", "tasks:write", "processes:write", "admin"],
		});
		const refused = await json<{ code: string; details: { needed: string } }>(
			unscoped,
			"/api/v1/messages",
			{ body },
		);
		expect(refused.status).toBe(403);
		expect(refused.body.details.needed).toBe("messages:publish");

		const notAdmin = await apiUser({ scopes: ["messages:publish"] });
		const forbidden = await publishMessage(body, notAdmin);
		expect(forbidden.status).toBe(403);
		expect(forbidden.body).toMatchObject({ code: "forbidden" });

		const anonymous = await publishMessage(body, null);
		expect(anonymous.status).toBe(401);
		await expectNothingKept(key);

		const integration = await apiUser({ isAdmin: true, scopes: ["messages:publish"] });
		const published = await publishMessage(body, integration);
		expect(published).toMatchObject({ status: 202, body: { status: "kept" } });
	});
});
