import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { listApiTokens } from "../../src/auth/credential-store.ts";
import { FORM, makeUser, mintSession, ORIGIN, postForm, send } from "./auth-fixtures.ts";

/** The state change under attack: creating an API token on the account page. */
const newToken = { name: "ci", scopes: "read", expires: "30" };

async function tokenCount(userId: string): Promise<number> {
	return (await listApiTokens(env.DB, userId)).length;
}

describe("CSRF protection", () => {
	it("refuses a cross-origin form POST, even with a valid token, and changes nothing", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await postForm(
			"/account/tokens",
			{ ...newToken, _csrf: session.csrf },
			{ Cookie: session.cookie, Origin: "https://evil.example" },
		);
		expect(res.status).toBe(403);
		expect(await tokenCount(user.id)).toBe(0);
	});

	it("refuses a cross-site form POST told apart by Sec-Fetch-Site alone", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const body = new URLSearchParams({ ...newToken, _csrf: session.csrf });
		const res = await send("/account/tokens", {
			method: "POST",
			body,
			headers: { Cookie: session.cookie, "Content-Type": FORM, "Sec-Fetch-Site": "cross-site" },
		});
		expect(res.status).toBe(403);
		expect(await tokenCount(user.id)).toBe(0);
	});

	it("refuses a same-origin form POST without the token and changes nothing", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await postForm("/account/tokens", newToken, { Cookie: session.cookie });
		expect(res.status).toBe(403);
		expect(await res.text()).toContain("Reload the page");
		expect(await tokenCount(user.id)).toBe(0);
	});

	it("refuses a wrong token (another session's) and changes nothing", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const other = await mintSession(await makeUser());
		const res = await postForm(
			"/account/tokens",
			{ ...newToken, _csrf: other.csrf },
			{ Cookie: session.cookie },
		);
		expect(res.status).toBe(403);
		expect(await tokenCount(user.id)).toBe(0);
	});

	it("refuses a JSON POST with the session cookie but no token header", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await send("/account/tokens", {
			method: "POST",
			body: JSON.stringify(newToken),
			headers: { Cookie: session.cookie, "Content-Type": "application/json", Origin: ORIGIN },
		});
		expect(res.status).toBe(403);
		expect(await tokenCount(user.id)).toBe(0);
	});

	it("accepts the hidden _csrf field of a plain form", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await postForm(
			"/account/tokens",
			{ ...newToken, _csrf: session.csrf },
			{ Cookie: session.cookie },
		);
		expect(res.status).toBe(201);
		expect(await tokenCount(user.id)).toBe(1);
	});

	it("accepts the X-CSRF-Token header that htmx sends", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await postForm("/account/tokens", newToken, {
			Cookie: session.cookie,
			"X-CSRF-Token": session.csrf,
			"HX-Request": "true",
		});
		expect(res.status).toBe(201);
		expect(await tokenCount(user.id)).toBe(1);
	});

	it("hands the token to htmx through the layout's hx-headers:inherited and to every form", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const html = await (await send("/account", { headers: { Cookie: session.cookie } })).text();
		const escaped = JSON.stringify({ "X-CSRF-Token": session.csrf }).replaceAll('"', "&quot;");
		expect(html).toContain(`hx-headers:inherited="${escaped}"`);
		const forms = html.match(/<form /g)?.length ?? 0;
		const fields = html.match(new RegExp(`name="_csrf" value="${session.csrf}"`, "g"))?.length ?? 0;
		expect(forms).toBeGreaterThan(0);
		expect(fields).toBe(forms);
	});

	it("refuses the anonymous sign-in form without its token", async () => {
		const res = await postForm("/sign-in", { email: "a@example.com", password: "whatever" });
		expect(res.status).toBe(403);
	});
});
