import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { setUserActive } from "../../src/db/people.ts";
import {
	makeUser,
	mintSession,
	ORIGIN,
	openSignIn,
	postForm,
	send,
	setCookies,
	signInWithForm,
} from "./auth-fixtures.ts";

const PASSWORD = "a good long password";

describe("sign-in page", () => {
	it("shows labelled email and password fields in a plain POST form with a CSRF field", async () => {
		const res = await send("/sign-in");
		expect(res.status).toBe(200);
		const html = await res.text();
		expect(html).toContain('<form method="post" action="/sign-in"');
		expect(html).toMatch(/<label for="sign-in-email">Email<\/label>/);
		expect(html).toMatch(/<input id="sign-in-email" name="email" type="email"/);
		expect(html).toMatch(/<label for="sign-in-password">Password<\/label>/);
		expect(html).toMatch(/<input id="sign-in-password" name="password" type="password"/);
		expect(html).toMatch(/name="_csrf" value="[^"]+"/);
	});

	it("signs in with a plain form POST and redirects to where the user was going", async () => {
		const user = await makeUser({ password: PASSWORD });
		const res = await signInWithForm(user.email, PASSWORD, { next: "/account" });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account");
		const session = setCookies(res).baton_session;
		expect(session?.value).toMatch(/^ey/);
		const page = await send("/account", { headers: { Cookie: `baton_session=${session?.value}` } });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain(user.displayName);
	});

	it("keeps the session in an HttpOnly, SameSite=Lax cookie, not Secure on http://localhost", async () => {
		const user = await makeUser({ password: PASSWORD });
		const session = setCookies(await signInWithForm(user.email, PASSWORD)).baton_session;
		expect(session?.attributes).toEqual(
			expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/"]),
		);
		expect(session?.attributes).not.toContain("Secure");
		expect(session?.attributes.some((a) => a.startsWith("Max-Age="))).toBe(true);
	});

	it("uses a Secure __Host- cookie everywhere else", async () => {
		const user = await makeUser({ password: PASSWORD });
		const origin = "https://baton.example.com";
		const res = await signInWithForm(user.email, PASSWORD, { origin });
		expect(res.status).toBe(303);
		const session = setCookies(res)["__Host-baton_session"];
		expect(session?.attributes).toEqual(
			expect.arrayContaining(["HttpOnly", "SameSite=Lax", "Path=/", "Secure"]),
		);
		expect(setCookies(res).baton_session).toBeUndefined();
	});

	it("shows a wrong password next to the form, keeps the email and sets no session", async () => {
		const user = await makeUser({ password: PASSWORD });
		const res = await signInWithForm(user.email, "not the password");
		expect(res.status).toBe(401);
		expect(setCookies(res).baton_session).toBeUndefined();
		const html = await res.text();
		expect(html).toMatch(/<div id="sign-in-error" class="alert alert-error" role="alert">/);
		expect(html).toContain("The email address or the password is not right.");
		expect(html).toContain(`value="${user.email}"`);
	});

	it("answers an unknown email exactly like a wrong password", async () => {
		const res = await signInWithForm("nobody-here@example.com", "whatever password");
		expect(res.status).toBe(401);
		expect(await res.text()).toContain("The email address or the password is not right.");
	});

	it("shows field errors for a malformed email or an empty password", async () => {
		const res = await signInWithForm("not-an-email", "");
		expect(res.status).toBe(422);
		const html = await res.text();
		expect(html).toContain('id="sign-in-email-error"');
		expect(html).toContain('id="sign-in-password-error"');
		expect(html).toContain('aria-invalid="true"');
	});

	it("refuses a deactivated user even with the right password", async () => {
		const user = await makeUser({ password: PASSWORD });
		await setUserActive(env.DB, user.id, false);
		const res = await signInWithForm(user.email, PASSWORD);
		expect(res.status).toBe(403);
		expect(setCookies(res).baton_session).toBeUndefined();
	});

	it("never redirects off-site after signing in", async () => {
		const user = await makeUser({ password: PASSWORD });
		for (const next of ["//evil.example/x", "https://evil.example/", "/\\evil.example"]) {
			const res = await signInWithForm(user.email, PASSWORD, { next });
			expect(res.headers.get("Location")).toBe("/");
		}
	});

	it("sends a signed-in user straight on from the sign-in page", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await send("/sign-in?next=/account", { headers: { Cookie: session.cookie } });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/account");
	});
});

describe("anonymous requests", () => {
	it("a page sends the visitor to sign in and back", async () => {
		const res = await send("/account?tab=tokens");
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe(
			`/sign-in?next=${encodeURIComponent("/account?tab=tokens")}`,
		);
	});

	it("an htmx request gets 401 with HX-Redirect to the sign-in page", async () => {
		const res = await send("/account", {
			headers: { "HX-Request": "true", "HX-Current-URL": `${ORIGIN}/inbox` },
		});
		expect(res.status).toBe(401);
		expect(res.headers.get("HX-Redirect")).toBe("/sign-in?next=%2Finbox");
	});

	it("the JSON API answers 401 with a JSON error", async () => {
		const res = await send("/api/me");
		expect(res.status).toBe(401);
		expect(await res.json()).toMatchObject({ code: "unauthorized" });
	});

	it("health and signed webhooks need no session", async () => {
		expect((await send("/health")).status).toBe(200);
		expect((await send("/hooks/unknown", { method: "POST" })).status).not.toBe(401);
	});
});

describe("sign-out", () => {
	it("clears the cookie, and the signed-out session no longer works even if replayed", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await postForm("/sign-out", { _csrf: session.csrf }, { Cookie: session.cookie });
		expect(res.status).toBe(303);
		expect(res.headers.get("Location")).toBe("/sign-in");
		const cleared = setCookies(res).baton_session;
		expect(cleared?.value).toBe("");
		expect(cleared?.attributes).toContain("Max-Age=0");

		const replay = await send("/account", { headers: { Cookie: session.cookie } });
		expect(replay.status).toBe(303);
		expect(replay.headers.get("Location")).toMatch(/^\/sign-in/);
	});

	it("ends one session only: the user's other sessions go on", async () => {
		const user = await makeUser();
		const first = await mintSession(user);
		const second = await mintSession(user);
		await postForm("/sign-out", { _csrf: first.csrf }, { Cookie: first.cookie });
		expect((await send("/account", { headers: { Cookie: second.cookie } })).status).toBe(200);
	});

	it("refuses a sign-out without the CSRF token while signed in", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await postForm("/sign-out", {}, { Cookie: session.cookie });
		expect(res.status).toBe(403);
		expect((await send("/account", { headers: { Cookie: session.cookie } })).status).toBe(200);
	});

	it("signing out with no session just goes to the sign-in page", async () => {
		const form = await openSignIn();
		const res = await postForm("/sign-out", {}, { Cookie: form.cookie });
		expect(res.status).toBe(303);
	});
});
