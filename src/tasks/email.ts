// email: sends a mail through Cloudflare Email Service (the EMAIL binding, src/notifications/mail.ts)
// and succeeds with its message id. Recipients, subject and body are params, each a value or
// "= FEEL" over params and process. A recipient that is not an address fails the task at once.
import { z } from "zod";
import { MAIL_ADDRESS } from "../notifications/address.ts";
import { defineTask, PermanentTaskError, type TaskContext } from "./define-task.ts";

/** What sends the mail: the Worker provides it at start (src/index.ts), with the EMAIL binding. */
export type EmailSender = (ctx: TaskContext<EmailParams>) => Promise<string>;
export type EmailParams = { to: unknown; cc?: unknown; subject: unknown; body: unknown };

let sender: EmailSender | undefined;

/**
 * Task code gets no env (define-task.ts): the Worker hands this type its sender once, at start,
 * so the type stays loadable where there is no Worker (the simulator, the unit tests).
 */
export function provideEmailSender(send: EmailSender): void {
	sender = send;
}

/** The most recipients one task sends to (to and cc together). */
export const MAX_RECIPIENTS = 50;

const recipients = z.union([
	z.string().min(1).max(5000),
	z.array(z.string().max(320)).min(1).max(MAX_RECIPIENTS),
]);

/**
 * The addresses a `to` or `cc` value names: a list, or text with commas or semicolons between
 * them. Throws a PermanentTaskError naming the first one that is not a plain address.
 */
export function parseRecipients(field: "to" | "cc", value: unknown): string[] {
	if (value === undefined || value === null || value === "") return [];
	const items = Array.isArray(value) ? value : [value];
	const out: string[] = [];
	for (const item of items) {
		if (typeof item !== "string") {
			throw new PermanentTaskError(`${field}: ${JSON.stringify(item)} is not an email address`, {
				code: "BAD_RECIPIENT",
			});
		}
		for (const part of item.split(/[,;]/)) {
			const address = part.trim();
			if (address === "") continue;
			if (!MAIL_ADDRESS.test(address)) {
				throw new PermanentTaskError(`${field}: "${address}" is not an email address`, {
					code: "BAD_RECIPIENT",
				});
			}
			out.push(address);
		}
	}
	return [...new Set(out)];
}

export const email = defineTask({
	name: "email",
	title: "Send an email",
	description:
		"Sends a plain-text mail through Cloudflare Email Service; the result is its message id.",
	params: z.object({
		to: recipients.meta({
			title: "To",
			description: 'Addresses (a list, or text with commas between them), or "= FEEL"',
		}),
		cc: recipients.optional().meta({ title: "Cc", description: 'Addresses, or "= FEEL"' }),
		subject: z
			.string()
			.min(1)
			.max(1000)
			.meta({ title: "Subject", description: 'Text, or "= FEEL" over params and process' }),
		body: z.string().min(1).max(100_000).meta({
			title: "Body",
			description: 'Plain text, or "= FEEL" over params and process',
			widget: "longtext",
		}),
	}),
	result: z.string(),
	// A mail the service refused for its address will not pass on a retry; a service error may.
	retry: { limit: 3 },
	async run(ctx) {
		if (!sender) {
			throw new PermanentTaskError("this runtime has no mail service (EMAIL binding)", {
				code: "NO_MAIL_SERVICE",
			});
		}
		return await sender(ctx);
	},
});
