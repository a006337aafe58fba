// Notifications (docs/notifications.md): an assignment reaches the person's mail through the
// baton-notify queue and the EMAIL binding (kept in the local outbox table); choices are
// respected; a burst becomes one digest; a failing send is retried and, at the end, abandoned;
// due dates are noted once; mentions are told. And the `email` task type.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, desc, eq, like } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
	notices,
	notificationDeliveries,
	outboxMessages,
	tasks as taskIndex,
} from "../../src/db/schema/index.ts";
import { consumeNotifications, notifyRetryDelay } from "../../src/notifications/consumer.ts";
import { type DeliverEnv, flushPerson } from "../../src/notifications/deliver.ts";
import { sweepDueTasks } from "../../src/notifications/due-sweep.ts";
import { DIGEST_WINDOW_MS } from "../../src/notifications/kinds.ts";
import { notifyMentioned } from "../../src/notifications/mentions.ts";
import type { AddressedNotice, NotifyMessage } from "../../src/notifications/messages.ts";
import { recordNotices } from "../../src/notifications/record.ts";
import { saveSettings } from "../../src/notifications/settings.ts";
import { makeUser } from "./auth-fixtures.ts";
import { finished, publish, start, waitFor, workflow } from "./process-fixtures.ts";

const db = () => drizzle(env.DB);

afterEach(() => {
	vi.restoreAllMocks();
});

async function mailsTo(address: string) {
	return db()
		.select()
		.from(outboxMessages)
		.where(like(outboxMessages.recipient, `%${address}%`))
		.orderBy(outboxMessages.id);
}

async function waitForMail(address: string, count = 1, timeoutMs = 15_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const rows = await mailsTo(address);
		if (rows.length >= count) return rows;
		if (Date.now() > deadline) throw new Error(`no mail to ${address} (${rows.length} so far)`);
		await new Promise((r) => setTimeout(r, 50));
	}
}

/** An env whose queue sends are recorded instead of delivered, and whose mail may fail. */
function recordingEnv(options: { failMail?: boolean } = {}) {
	const sent: { body: unknown; delaySeconds?: number }[] = [];
	const queue = {
		send: async (body: unknown, o?: { delaySeconds?: number }) => {
			sent.push({
				body,
				...(o?.delaySeconds === undefined ? {} : { delaySeconds: o.delaySeconds }),
			});
		},
		sendBatch: async (msgs: Iterable<{ body: unknown; delaySeconds?: number }>) => {
			for (const m of msgs) sent.push(m);
		},
	} as unknown as Queue;
	const email = options.failMail
		? ({
				send: async () => {
					throw new Error("Email Service unavailable");
				},
			} as unknown as SendEmail)
		: env.EMAIL;
	const e: DeliverEnv = { ...env, NOTIFY: queue, EMAIL: email, MAIL_OUTBOX: "keep" };
	return { env: e, sent };
}

function notice(
	userId: string,
	n: number,
	kind: AddressedNotice["kind"] = "assigned",
): AddressedNotice {
	return {
		key: `test:${userId}:${n}`,
		userId,
		kind,
		processId: "p-test",
		taskId: `p-test/t${n}`,
		text: `Task ${n} is assigned to you`,
		path: `/tasks/p-test%2Ft${n}`,
	};
}

async function runBatch(queue: string, bodies: NotifyMessage[], e: DeliverEnv) {
	const batch = createMessageBatch(
		queue,
		bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
	);
	const ctx = createExecutionContext();
	await consumeNotifications(batch, e);
	return getQueueResult(batch, ctx);
}

const askNode = (role: string, extra: Record<string, unknown> = {}) => ({
	key: "review",
	name: "Review the claim",
	task: "ask",
	start: true,
	role,
	params: { questions: { ok: { label: "Looks right?", type: "checkbox", required: true } } },
	...extra,
});

describe("notifications", () => {
	it("NT1 sends a mail to the assignee when a task is assigned to them", async () => {
		const member = await makeUser({ name: "reviewer", roles: ["n-reviewers"] });
		await publish(
			workflow(
				"n-assign",
				[askNode("n-reviewers"), { key: "end", task: "dummy", end: true }],
				[{ from: "review", to: "end" }],
				{ roles: [{ key: "n-reviewers" }] },
			),
		);
		const { processId } = await start("n-assign");
		await waitFor(processId, (v) => v.state.tasks.some((t) => t.awaitingInput));
		const [mail] = await waitForMail(member.email);
		expect(mail).toMatchObject({ channel: "email", source: "notification" });
		expect(mail?.subject).toContain("“Review the claim”");
		expect(mail?.subject).toContain("is assigned to you");
		expect(mail?.body).toContain(`/tasks/${encodeURIComponent(`${processId}/`)}`);
		expect(mail?.messageId).toBeTruthy();
	});

	it("NT2 tells nobody of a kind the person turned off", async () => {
		const quiet = await makeUser({ name: "quiet" });
		await saveSettings(
			env.DB,
			quiet.id,
			{
				choices: { assigned: [], queued: ["email"], due: ["email"], mentioned: ["email"] },
				webhookUrl: null,
			},
			Date.now(),
		);
		const people = await recordNotices(env.DB, [notice(quiet.id, 1)], Date.now());
		expect(people).toEqual([]);
		const rows = await db().select().from(notices).where(eq(notices.userId, quiet.id));
		expect(rows).toEqual([]);
		// A kind left on is recorded, with the channel chosen.
		await recordNotices(env.DB, [notice(quiet.id, 2, "queued")], Date.now());
		const kept = await db().select().from(notices).where(eq(notices.userId, quiet.id));
		expect(kept.map((n) => [n.kind, n.channels])).toEqual([["queued", '["email"]']]);
	});

	it("NT1 records a replayed event once", async () => {
		const u = await makeUser({ name: "replay" });
		await recordNotices(env.DB, [notice(u.id, 1)], Date.now());
		await recordNotices(env.DB, [notice(u.id, 1)], Date.now());
		const rows = await db().select().from(notices).where(eq(notices.userId, u.id));
		expect(rows).toHaveLength(1);
	});

	it("NT3 sends the first notice at once and the ones inside the window as one digest", async () => {
		const u = await makeUser({ name: "busy" });
		const { env: e, sent } = recordingEnv();
		const t0 = Date.now();
		await recordNotices(env.DB, [notice(u.id, 1)], t0);
		expect(await flushPerson(e, u.id, t0)).toBe("sent");
		expect(await mailsTo(u.email)).toHaveLength(1);

		// Two more within the window: nothing leaves; a flush is queued for the window's end.
		await recordNotices(env.DB, [notice(u.id, 2), notice(u.id, 3)], t0 + 60_000);
		expect(await flushPerson(e, u.id, t0 + 60_000)).toBe("waiting");
		expect(sent).toEqual([
			{ body: { type: "flush", userId: u.id }, delaySeconds: (DIGEST_WINDOW_MS - 60_000) / 1000 },
		]);
		expect(await mailsTo(u.email)).toHaveLength(1);

		// At the window's end, both go out in one mail.
		expect(await flushPerson(e, u.id, t0 + DIGEST_WINDOW_MS)).toBe("sent");
		const mails = await mailsTo(u.email);
		expect(mails).toHaveLength(2);
		expect(mails[1]?.subject).toBe("Baton: 2 things for you");
		expect(mails[1]?.body).toContain("Task 2 is assigned to you");
		expect(mails[1]?.body).toContain("Task 3 is assigned to you");
		expect(await flushPerson(e, u.id, t0 + DIGEST_WINDOW_MS + 1)).toBe("nothing");
	});

	it("NT4 retries a failing send with backoff, then sends the same delivery", async () => {
		const u = await makeUser({ name: "retry" });
		await recordNotices(env.DB, [notice(u.id, 1)], Date.now());
		const failing = recordingEnv({ failMail: true });
		const first = await runBatch("baton-notify", [{ type: "flush", userId: u.id }], failing.env);
		expect(first.explicitAcks).toEqual([]);
		expect(first.retryMessages).toEqual([{ msgId: "m0" }]);
		// The delay the consumer asks for: 10 s doubling, at most 10 minutes.
		expect([1, 2, 3, 8, 20].map(notifyRetryDelay)).toEqual([10, 20, 40, 600, 600]);
		const [owed] = await db()
			.select()
			.from(notificationDeliveries)
			.where(eq(notificationDeliveries.userId, u.id));
		expect(owed).toMatchObject({
			emailSentAt: null,
			lastError: "Error: Email Service unavailable",
		});

		const working = recordingEnv();
		const second = await runBatch("baton-notify", [{ type: "flush", userId: u.id }], working.env);
		expect(second.explicitAcks).toEqual(["m0"]);
		const [sentOnce] = await db()
			.select()
			.from(notificationDeliveries)
			.where(eq(notificationDeliveries.userId, u.id));
		expect(sentOnce?.id).toBe(owed?.id);
		expect(sentOnce?.emailSentAt).not.toBeNull();
		expect(sentOnce?.attempts).toBe(2);
		expect(await mailsTo(u.email)).toHaveLength(1);
	});

	it("NT4 posts the webhook's JSON, and retries only the channel that failed", async () => {
		const u = await makeUser({ name: "hooked" });
		const hook = "https://hooks.example.com/services/T1/B2/c3";
		await saveSettings(
			env.DB,
			u.id,
			{
				choices: { assigned: ["email", "webhook"], queued: [], due: [], mentioned: [] },
				webhookUrl: hook,
			},
			Date.now(),
		);
		await recordNotices(env.DB, [notice(u.id, 1)], Date.now());
		const posts: { url: string; body: unknown }[] = [];
		let answer = 503;
		vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
			posts.push({ url: String(input), body: JSON.parse(String(init?.body)) });
			return new Response(null, { status: answer });
		});
		const { env: e } = recordingEnv();
		await expect(flushPerson(e, u.id, Date.now())).rejects.toThrow("the webhook answered HTTP 503");
		expect(await mailsTo(u.email)).toHaveLength(1);
		answer = 200;
		expect(await flushPerson(e, u.id, Date.now())).toBe("sent");
		// The mail went once; the webhook got the same notice twice, the second time accepted.
		expect(await mailsTo(u.email)).toHaveLength(1);
		expect(posts).toHaveLength(2);
		expect(posts[1]).toEqual({
			url: hook,
			body: {
				text: "Task 1 is assigned to you\n\n/tasks/p-test%2Ft1\n",
				summary: "Task 1 is assigned to you",
			},
		});
		const [row] = await db()
			.select()
			.from(notificationDeliveries)
			.where(eq(notificationDeliveries.userId, u.id));
		expect(row?.webhookSentAt).not.toBeNull();
		expect(row?.attempts).toBe(2);
	});

	it("NT4 marks what a person is owed abandoned when the flush reaches the dead-letter queue", async () => {
		const u = await makeUser({ name: "dead" });
		await recordNotices(env.DB, [notice(u.id, 1)], Date.now());
		const failing = recordingEnv({ failMail: true });
		await runBatch("baton-notify", [{ type: "flush", userId: u.id }], failing.env);
		const dead = await runBatch("baton-notify-dlq", [{ type: "flush", userId: u.id }], failing.env);
		expect(dead.explicitAcks).toEqual(["m0"]);
		const [row] = await db()
			.select()
			.from(notificationDeliveries)
			.where(eq(notificationDeliveries.userId, u.id));
		expect(row?.abandonedAt).not.toBeNull();
		// Abandoned is not owed: the next flush does not send it again.
		expect(await flushPerson(recordingEnv().env, u.id, Date.now() + DIGEST_WINDOW_MS)).toBe(
			"nothing",
		);
	});

	it("NT1 notes a task due soon once, and tells its assignee", async () => {
		const member = await makeUser({ name: "due", roles: ["n-due"] });
		await publish(
			workflow(
				"n-due",
				[askNode("n-due", { due: "PT2H" }), { key: "end", task: "dummy", end: true }],
				[{ from: "review", to: "end" }],
				{ roles: [{ key: "n-due" }] },
			),
		);
		const { processId } = await start("n-due");
		const v = await waitFor(processId, (x) => x.state.tasks.some((t) => t.awaitingInput));
		const indexed = async () =>
			db().select().from(taskIndex).where(eq(taskIndex.processId, processId));
		for (let i = 0; (await indexed())[0]?.awaitingInput !== true && i < 100; i++) {
			await new Promise((r) => setTimeout(r, 25));
		}
		const { env: e, sent } = recordingEnv();
		const now = Date.now();
		expect(await sweepDueTasks(e, now)).toBeGreaterThanOrEqual(1);
		const mine = sent.flatMap((s) =>
			(s.body as Extract<NotifyMessage, { type: "notices" }>).notices.filter(
				(n) => n.processId === processId,
			),
		);
		expect(mine).toHaveLength(1);
		expect(mine[0]).toMatchObject({ userId: member.id, kind: "due" });
		expect(mine[0]?.text).toMatch(/“Review the claim” in .* is due \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
		expect(v.state.tasks[0]?.dueAt).toBeGreaterThan(now);
		// Sent once: the next tick finds nothing new for this task.
		sent.length = 0;
		await sweepDueTasks(e, now + 60_000);
		expect(JSON.stringify(sent)).not.toContain(processId);
		// Past its due date it is a new event: overdue.
		await sweepDueTasks(e, now + 3 * 60 * 60_000);
		expect(JSON.stringify(sent)).toContain("is overdue");
	});

	it("NT1 tells the people mentioned in a comment, but not its author", async () => {
		const author = await makeUser({ name: "author" });
		const mentioned = await makeUser({ name: "mentioned" });
		await notifyMentioned(env, {
			userIds: [mentioned.id, author.id],
			by: { id: author.id, name: "Author" },
			processId: "p-mention",
			taskId: "p-mention/t1",
			commentId: "c1",
			text: "Could you look at the   invoice?",
		});
		const [mail] = await waitForMail(mentioned.email);
		expect(mail?.subject).toBe("Author mentioned you: “Could you look at the invoice?”");
		expect(mail?.body).toContain("/tasks/p-mention%2Ft1#comment-c1");
		expect(await mailsTo(author.email)).toEqual([]);
	});
});

describe("the email task type", () => {
	it("sends to the recipients its FEEL names and succeeds with the message id", async () => {
		await publish(
			workflow(
				"n-email",
				[
					{
						key: "tell",
						task: "email",
						start: true,
						params: {
							to: "= params.customer",
							cc: ["accounts@example.com"],
							subject: '= "Order " + string(params.order) + " is finished"',
							body: '= "Hello, your order " + string(params.order) + " is ready."',
						},
					},
					{ key: "end", task: "dummy", end: true },
				],
				[{ from: "tell", to: "end" }],
				{
					startForm: {
						customer: { label: "Customer", type: "text" },
						order: { label: "Order", type: "integer" },
					},
				},
			),
		);
		const { processId } = await start("n-email", { customer: "ada@example.com", order: 42 });
		const done = await waitFor(processId, finished);
		expect(done.state.status).toBe("SUCCESS");
		const result = done.state.tasks[0]?.result;
		expect(typeof result).toBe("string");
		const [mail] = await db()
			.select()
			.from(outboxMessages)
			.where(and(eq(outboxMessages.source, "email-task"), like(outboxMessages.recipient, "%ada@%")))
			.orderBy(desc(outboxMessages.id));
		expect(mail).toMatchObject({
			recipient: "ada@example.com, cc accounts@example.com",
			subject: "Order 42 is finished",
			body: "Hello, your order 42 is ready.",
			messageId: result,
		});
	});

	it("fails at once, saying which, when a recipient is not an address", async () => {
		await publish(
			workflow(
				"n-email-bad",
				[
					{
						key: "tell",
						task: "email",
						start: true,
						params: { to: "= params.customer", subject: "Hi", body: "Hello" },
					},
					{ key: "end", task: "dummy", end: true },
				],
				[{ from: "tell", to: "end" }],
				{ startForm: { customer: { label: "Customer", type: "text" } } },
			),
		);
		const { processId } = await start("n-email-bad", { customer: "ada at example" });
		const done = await waitFor(processId, (v) => v.state.tasks.some((t) => t.status === "FAILURE"));
		const task = done.state.tasks[0];
		expect(task?.status).toBe("FAILURE");
		expect(task?.attempt).toBe(1);
		expect(task?.error).toMatchObject({
			code: "BAD_RECIPIENT",
			message: 'to: "ada at example" is not an email address',
		});
	});
});
