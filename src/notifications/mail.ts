// Sends one mail through Cloudflare Email Service (the `send_email` binding EMAIL) and one post to
// an incoming webhook, and, on a local run (outboxKept), records each in the outbox page's table.
// Who gets what and when is decided by deliver.ts; this module only sends.
import { drizzle } from "drizzle-orm/d1";
import { outboxMessages } from "../db/schema/index.ts";

/** What the sender needs of the Worker's environment (the tests pass a failing EMAIL). */
export type MailEnv = Pick<Env, "DB" | "EMAIL"> & {
	MAIL_FROM?: string;
	MAIL_OUTBOX?: string;
	DEMO_SEED?: string;
};

/** The sender when MAIL_FROM is not set: a local run's address, never a real domain's. */
const LOCAL_SENDER = "baton@baton.local";

/**
 * Whether sent mail is also kept in D1 for the local outbox page: on a local run only (`npm start`
 * and the browser tests set DEMO_SEED=on; the workers tests set MAIL_OUTBOX=keep). Production
 * leaves both off, so no mail body is ever stored there.
 */
export function outboxKept(env: { MAIL_OUTBOX?: string; DEMO_SEED?: string }): boolean {
	return env.MAIL_OUTBOX === "keep" || env.DEMO_SEED === "on";
}

export interface OutgoingMail {
	to: string[];
	cc?: string[];
	subject: string;
	text: string;
	source: "notification" | "email-task";
}

/** Sends the mail; answers the Email Service's message id. A failed send throws (the caller retries). */
export async function sendMail(env: MailEnv, mail: OutgoingMail): Promise<string> {
	const sent = await env.EMAIL.send({
		from: { email: env.MAIL_FROM || LOCAL_SENDER, name: "Baton" },
		to: mail.to,
		...(mail.cc && mail.cc.length > 0 ? { cc: mail.cc } : {}),
		subject: mail.subject,
		text: mail.text,
	});
	if (outboxKept(env)) {
		await drizzle(env.DB)
			.insert(outboxMessages)
			.values({
				channel: "email",
				recipient: [...mail.to, ...(mail.cc ?? []).map((a) => `cc ${a}`)].join(", "),
				subject: mail.subject,
				body: mail.text,
				messageId: sent.messageId,
				source: mail.source,
				sentAt: Date.now(),
			});
	}
	return sent.messageId;
}

/** The most a webhook may take to answer before the post counts as failed (and is retried). */
const WEBHOOK_TIMEOUT_MS = 10_000;

/** Posts the JSON to the person's incoming webhook; a non-2xx answer throws (the caller retries). */
export async function postWebhook(
	env: MailEnv,
	url: string,
	body: { text: string; summary: string },
): Promise<void> {
	const res = await fetch(url, {
		method: "POST",
		headers: { "content-type": "application/json" },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
		redirect: "manual",
	});
	await res.body?.cancel();
	if (!res.ok) throw new Error(`the webhook answered HTTP ${res.status}`);
	if (outboxKept(env)) {
		await drizzle(env.DB).insert(outboxMessages).values({
			channel: "webhook",
			recipient: url,
			subject: body.summary,
			body: body.text,
			messageId: null,
			source: "notification",
			sentAt: Date.now(),
		});
	}
}
