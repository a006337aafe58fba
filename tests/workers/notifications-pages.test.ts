// The notification pages: each person's choices on the account page (saved, shown, refused with a
// clear 422 when the webhook URL is wrong) and the local outbox page (admins only, local only).
import { env } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/d1";
import { describe, expect, it } from "vitest";
import { outboxMessages } from "../../src/db/schema/index.ts";
import { settingsOf } from "../../src/notifications/settings.ts";
import { signedIn } from "./auth-fixtures.ts";

describe("the account's notification settings", () => {
	it("NT2 shows every kind with email on by default", async () => {
		const me = await signedIn();
		const html = await (await me.get("/account")).text();
		expect(html).toContain("Notifications");
		for (const kind of ["assigned", "queued", "due", "mentioned"]) {
			expect(html).toMatch(new RegExp(`id="notify-${kind}-email"[^>]*checked`));
			expect(html).not.toMatch(new RegExp(`id="notify-${kind}-webhook"[^>]*checked`));
		}
	});

	it("NT2 saves the channels chosen per kind and the webhook URL", async () => {
		const me = await signedIn();
		const res = await me.post("/account/notifications", {
			assigned: ["email", "webhook"],
			queued: [],
			due: "webhook",
			mentioned: "email",
			webhookUrl: "https://hooks.slack.com/services/T000/B000/XXXX",
		});
		expect(res.status).toBe(303);
		expect(res.headers.get("location")).toBe("/account?saved=notifications#notifications");
		expect(await settingsOf(env.DB, me.userId)).toEqual({
			choices: {
				assigned: ["email", "webhook"],
				queued: [],
				due: ["webhook"],
				mentioned: ["email"],
			},
			webhookUrl: "https://hooks.slack.com/services/T000/B000/XXXX",
		});
		const html = await (await me.get("/account?saved=notifications")).text();
		expect(html).toContain("Your notification settings are saved.");
		expect(html).not.toMatch(/id="notify-queued-email"[^>]*checked/);
		expect(html).toMatch(/id="notify-due-webhook"[^>]*checked/);
	});

	it.each([
		["http://hooks.example.com/x", "Use an https:// URL."],
		["https://10.0.0.7/hook", "Use the webhook's host name, not an address or localhost."],
		["not a url", "Give a full URL, starting with https://."],
		["", "Give a webhook URL, or untick Webhook."],
	])("NT2 refuses the webhook URL %j with 422 and changes nothing", async (url, message) => {
		const me = await signedIn();
		const res = await me.post("/account/notifications", {
			assigned: "webhook",
			webhookUrl: url,
		});
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html).toContain(message.replace("'", "&#39;"));
		expect(html).toContain('aria-invalid="true"');
		expect((await settingsOf(env.DB, me.userId)).choices.assigned).toEqual(["email"]);
	});
});

describe("the local outbox page", () => {
	it("NT5 lists what was sent, newest first, to admins", async () => {
		await drizzle(env.DB).insert(outboxMessages).values({
			channel: "email",
			recipient: "ada@example.com",
			subject: "“Review” in Claim 7 is assigned to you",
			body: "“Review” in Claim 7 is assigned to you\n\n/tasks/p-1%2Ft1\n",
			messageId: "<abc@example.com>",
			source: "notification",
			sentAt: Date.now(),
		});
		const admin = await signedIn({ isAdmin: true });
		const res = await admin.get("/admin/outbox");
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain("ada@example.com");
		expect(html).toContain("“Review” in Claim 7 is assigned to you");
	});

	it("NT5 is a 404 to anyone but an admin", async () => {
		const person = await signedIn();
		expect((await person.get("/admin/outbox")).status).toBe(404);
	});
});
