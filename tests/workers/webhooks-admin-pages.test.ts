// The admin pages of webhooks: admins only (404 for others), create a trigger with a form (its
// secret shown once), change its settings, rotate, read the log and replay, all with CSRF tokens.
import { beforeAll, describe, expect, it } from "vitest";
import { makeUser, mintSession, postForm, send } from "./auth-fixtures.ts";
import { publish, workflow } from "./process-fixtures.ts";
import { deliver, OTHER_SECRET, unique } from "./webhooks-fixtures.ts";

const WORKFLOW = "onboarding";
let admin: { cookie: string; csrf: string };

beforeAll(async () => {
	await publish(
		workflow(WORKFLOW, [{ key: "welcome", task: "event", start: true, end: true }], [], {
			startForm: { email: { label: "Email" } },
		}),
	);
	admin = await mintSession(await makeUser({ isAdmin: true }));
});

const page = (path: string, session = admin) => send(path, { headers: { Cookie: session.cookie } });
const post = (path: string, fields: Record<string, string>, session = admin) =>
	postForm(path, { _csrf: session.csrf, ...fields }, { Cookie: session.cookie });

async function createThroughForm(fields: Record<string, string> = {}) {
	const key = unique("form");
	const res = await post("/admin/webhooks", {
		key,
		name: "Onboarding",
		kind: "start",
		workflowKey: WORKFLOW,
		scheme: "standard",
		mapping: '{"email": {"from": "/email", "type": "string", "required": true}}',
		rateLimitPerMinute: "60",
		enabled: "true",
		...fields,
	});
	const html = await res.text();
	const secret = /value="(whsec_[^"]+)"/.exec(html)?.[1];
	return { key, res, html, secret };
}

describe("the webhook admin pages", () => {
	it("answer 404 to anyone but an admin, GET or POST", async () => {
		const user = await mintSession(await makeUser());
		expect((await page("/admin/webhooks", user)).status).toBe(404);
		expect((await page("/admin/webhooks/anything", user)).status).toBe(404);
		expect((await post("/admin/webhooks", { key: "x" }, user)).status).toBe(404);
		expect((await post("/admin/webhook-deliveries/whd_x/replay", {}, user)).status).toBe(404);
	});

	it("create a trigger from the form and show its secret once", async () => {
		const { key, res, secret } = await createThroughForm();
		expect(res.status).toBe(201);
		expect(res.headers.get("Cache-Control")).toBe("no-store");
		expect(secret).toBeDefined();
		const list = await (await page("/admin/webhooks")).text();
		expect(list).toContain(`/hooks/${key}`);
		const detail = await (await page(`/admin/webhooks/${key}`)).text();
		expect(detail).not.toContain(secret);
		expect(detail).toContain("webhook-signature");
		expect(
			(await deliver(key, { email: "ada@example.com" }, { secret: secret as string })).status,
		).toBe(202);
	});

	it("re-render the form with every problem when it is not valid", async () => {
		const res = await post("/admin/webhooks", {
			key: "Bad Key!",
			name: "",
			kind: "start",
			workflowKey: WORKFLOW,
			scheme: "standard",
			mapping: "{not json",
		});
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html).toContain("There is a problem");
		expect(html).toContain('href="#new-key"');
		expect(html).toContain("The mapping is not valid JSON.");
	});

	it("refuse a form without its CSRF token", async () => {
		const res = await postForm("/admin/webhooks", { key: unique("x") }, { Cookie: admin.cookie });
		expect(res.status).toBe(403);
	});

	it("save settings, then show a refused delivery with Replay, which starts the process once fixed", async () => {
		const { key, secret } = await createThroughForm();
		const refused = await deliver(key, { mail: "grace@example.com" }, { secret: secret as string });
		expect(refused.status).toBe(422);
		let html = await (await page(`/admin/webhooks/${key}?status=refused`)).text();
		expect(html).toContain("email: the payload has no value here");
		const deliveryId = /action="\/admin\/webhook-deliveries\/(whd_[0-9a-f]+)\/replay"/.exec(
			html,
		)?.[1];
		expect(deliveryId).toBeDefined();
		const saved = await post(`/admin/webhooks/${key}`, {
			name: "Onboarding",
			workflowKey: WORKFLOW,
			mapping: '{"email": {"from": "/mail", "required": true}}',
			rateLimitPerMinute: "60",
			enabled: "true",
		});
		expect(saved.status).toBe(303);
		expect(saved.headers.get("Location")).toBe(`/admin/webhooks/${key}?notice=updated`);
		const replayed = await post(`/admin/webhook-deliveries/${deliveryId}/replay`, {});
		expect(replayed.status).toBe(303);
		const location = replayed.headers.get("Location") ?? "";
		expect(location).toMatch(/^\/admin\/webhook-deliveries\/whd_[0-9a-f]+\?notice=replayed$/);
		html = await (await page(location)).text();
		expect(html).toContain("accepted (202)");
		expect(html).toContain("grace@example.com");
	});

	it("rotate a secret and show the new one once", async () => {
		const { key, secret } = await createThroughForm();
		const res = await post(`/admin/webhooks/${key}/secrets`, {
			overlapSeconds: "3600",
			secret: "",
		});
		expect(res.status).toBe(200);
		const html = await res.text();
		const rotated = /value="(whsec_[^"]+)"/.exec(html)?.[1];
		expect(rotated).toBeDefined();
		expect(rotated).not.toBe(secret);
		expect(html).toContain("stays valid until");
		expect((await deliver(key, { email: "a@b.c" }, { secret: secret as string })).status).toBe(202);
		expect((await deliver(key, { email: "a@b.c" }, { secret: rotated as string })).status).toBe(
			202,
		);
		const refusedAgain = await post(`/admin/webhooks/${key}/secrets`, { secret: "not-a-whsec" });
		expect(refusedAgain.status).toBe(422);
	});

	it("show a delivery's body as escaped text, never markup", async () => {
		const { key } = await createThroughForm();
		await deliver(
			key,
			{ email: '<script>alert(1)</script>"><img src=x onerror=alert(1)>' },
			{ secret: OTHER_SECRET },
		);
		const list = await (await page(`/admin/webhooks/${key}`)).text();
		const id = /href="\/admin\/webhook-deliveries\/(whd_[0-9a-f]+)"/.exec(list)?.[1];
		const html = await (await page(`/admin/webhook-deliveries/${id}`)).text();
		expect(html).not.toContain("<script>alert(1)</script>");
		expect(html).not.toContain("<img src=x");
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
	});

	it("delete a trigger, closing its URL", async () => {
		const { key, secret } = await createThroughForm();
		const res = await post(`/admin/webhooks/${key}/delete`, {});
		expect(res.status).toBe(303);
		expect((await page(`/admin/webhooks/${key}`)).status).toBe(404);
		expect((await deliver(key, { email: "x" }, { secret: secret as string })).status).toBe(404);
	});
});
