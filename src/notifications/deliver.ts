// Sends what a person has waiting, as one delivery (one mail, one webhook post), under the digest
// rule (kinds.ts): a delivery owed from an earlier failed try goes first; else, inside the window
// of the last delivery, a flush is queued for the window's end; else every waiting notice is
// claimed into a new delivery and sent. A send that fails throws: the queue retries the flush.
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { notices, notificationDeliveries, users } from "../db/schema/index.ts";
import {
	type Channel,
	composeMessage,
	digestWindowMs,
	type Notice,
	nextDeliveryAt,
	webhookBody,
} from "./kinds.ts";
import { type MailEnv, postWebhook, sendMail } from "./mail.ts";
import { settingsOf } from "./settings.ts";

export type DeliverEnv = MailEnv & {
	NOTIFY: Queue;
	PUBLIC_URL?: string;
	NOTIFY_DIGEST_MINUTES?: string;
};

/** The deliveries a person is still owed: a chosen channel not sent yet, and not given up. */
function owedTo(userId: string) {
	return and(
		eq(notificationDeliveries.userId, userId),
		isNull(notificationDeliveries.abandonedAt),
		or(
			and(eq(notificationDeliveries.wantsEmail, true), isNull(notificationDeliveries.emailSentAt)),
			and(
				eq(notificationDeliveries.wantsWebhook, true),
				isNull(notificationDeliveries.webhookSentAt),
			),
		),
	);
}

/** How long one sender holds a delivery before a redelivered flush may try it again. */
const LEASE_MS = 60_000;

export type FlushOutcome = "sent" | "nothing" | "waiting" | "busy";

export async function flushPerson(
	env: DeliverEnv,
	userId: string,
	now: number,
): Promise<FlushOutcome> {
	const d = drizzle(env.DB);
	const owed = await d
		.select()
		.from(notificationDeliveries)
		.where(owedTo(userId))
		.orderBy(notificationDeliveries.createdAt)
		.limit(1);
	const retry = owed[0];
	if (retry) {
		if (!(await lease(env.DB, retry.id, now))) return "busy";
		await send(env, retry.id, now);
		// Notices that came while it was owed had their flushes answered "busy": look again.
		await flushPerson(env, userId, now);
		return "sent";
	}

	const [last] = await d
		.select({ at: notificationDeliveries.createdAt })
		.from(notificationDeliveries)
		.where(eq(notificationDeliveries.userId, userId))
		.orderBy(desc(notificationDeliveries.createdAt))
		.limit(1);
	const at = nextDeliveryAt(last?.at ?? null, now, digestWindowMs(env));
	if (at > now) {
		const [waiting] = await d
			.select({ key: notices.key })
			.from(notices)
			.where(and(eq(notices.userId, userId), isNull(notices.deliveryId)))
			.limit(1);
		if (!waiting) return "nothing";
		await env.NOTIFY.send(
			{ type: "flush", userId },
			{ delaySeconds: Math.ceil((at - now) / 1000) },
		);
		return "waiting";
	}

	// Claim: the UPDATE is one statement, so two flushes racing here split nothing: the first takes
	// every waiting notice, the second finds none and drops its empty delivery.
	const id = crypto.randomUUID();
	await d.insert(notificationDeliveries).values({
		id,
		userId,
		createdAt: now,
		notices: 0,
		wantsEmail: false,
		wantsWebhook: false,
		sendingUntil: now + LEASE_MS,
		attempts: 1,
	});
	const claimed = await d
		.update(notices)
		.set({ deliveryId: id })
		.where(and(eq(notices.userId, userId), isNull(notices.deliveryId)))
		.returning({ channels: notices.channels });
	if (claimed.length === 0) {
		await d.delete(notificationDeliveries).where(eq(notificationDeliveries.id, id));
		return "nothing";
	}
	const settings = await settingsOf(env.DB, userId);
	const wants = (c: Channel) =>
		claimed.some((n) => (JSON.parse(n.channels) as Channel[]).includes(c));
	await d
		.update(notificationDeliveries)
		.set({
			notices: claimed.length,
			wantsEmail: wants("email"),
			wantsWebhook: wants("webhook") && settings.webhookUrl !== null,
		})
		.where(eq(notificationDeliveries.id, id));
	await send(env, id, now);
	return "sent";
}

async function lease(db: D1Database, id: string, now: number): Promise<boolean> {
	const got = await drizzle(db)
		.update(notificationDeliveries)
		.set({
			sendingUntil: now + LEASE_MS,
			attempts: sql`${notificationDeliveries.attempts} + 1`,
		})
		.where(
			and(
				eq(notificationDeliveries.id, id),
				or(
					isNull(notificationDeliveries.sendingUntil),
					lt(notificationDeliveries.sendingUntil, now),
				),
			),
		)
		.returning({ id: notificationDeliveries.id });
	return got.length > 0;
}

/** Sends each channel the delivery still owes; records each success as it happens. */
async function send(env: DeliverEnv, id: string, now: number): Promise<void> {
	const d = drizzle(env.DB);
	const [delivery] = await d
		.select()
		.from(notificationDeliveries)
		.where(eq(notificationDeliveries.id, id));
	if (!delivery) return;
	const rows = await d
		.select()
		.from(notices)
		.where(eq(notices.deliveryId, id))
		.orderBy(notices.createdAt, notices.key);
	const origin = (env.PUBLIC_URL ?? "").replace(/\/+$/, "");
	const of = (c: Channel): Notice[] =>
		rows
			.filter((n) => (JSON.parse(n.channels) as Channel[]).includes(c))
			.map((n) => ({ kind: n.kind as Notice["kind"], text: n.text, link: `${origin}${n.path}` }));
	try {
		if (delivery.wantsEmail && delivery.emailSentAt === null) {
			const [person] = await d
				.select({ email: users.email, active: users.active })
				.from(users)
				.where(eq(users.id, delivery.userId));
			if (person?.active) {
				const { subject, text } = composeMessage(of("email"));
				const messageId = await sendMail(env, {
					to: [person.email],
					subject,
					text,
					source: "notification",
				});
				await d
					.update(notificationDeliveries)
					.set({ emailSentAt: now, emailMessageId: messageId })
					.where(eq(notificationDeliveries.id, id));
			} else {
				// Nobody to write to (removed or deactivated): nothing is owed.
				await d
					.update(notificationDeliveries)
					.set({ wantsEmail: false })
					.where(eq(notificationDeliveries.id, id));
			}
		}
		if (delivery.wantsWebhook && delivery.webhookSentAt === null) {
			const { webhookUrl } = await settingsOf(env.DB, delivery.userId);
			if (webhookUrl) await postWebhook(env, webhookUrl, webhookBody(of("webhook")));
			await d
				.update(notificationDeliveries)
				.set(webhookUrl ? { webhookSentAt: Date.now() } : { wantsWebhook: false })
				.where(eq(notificationDeliveries.id, id));
		}
		await d
			.update(notificationDeliveries)
			.set({ sendingUntil: null, lastError: null })
			.where(eq(notificationDeliveries.id, id));
	} catch (error) {
		await d
			.update(notificationDeliveries)
			.set({ sendingUntil: null, lastError: String(error).slice(0, 500) })
			.where(eq(notificationDeliveries.id, id));
		throw error;
	}
}

/** The queue gave up on a person's flush: what they are still owed is marked abandoned. */
export async function abandonOwed(db: D1Database, userId: string, now: number): Promise<number> {
	const rows = await drizzle(db)
		.update(notificationDeliveries)
		.set({ abandonedAt: now })
		.where(owedTo(userId))
		.returning({ id: notificationDeliveries.id });
	return rows.length;
}
