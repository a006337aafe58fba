import { env } from "cloudflare:workers";
import { decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { createApiToken } from "../../src/auth/credential-store.ts";
import { SESSION_TTL_SECONDS } from "../../src/auth/session.ts";
import { endAllSessions, setUserActive } from "../../src/db/people.ts";
import { makeUser, mintSession, postForm, send, setCookies } from "./auth-fixtures.ts";

const nowSeconds = () => Math.floor(Date.now() / 1000);

function open(cookie: string) {
	return send("/account", { headers: { Cookie: cookie } });
}

function isSentToSignIn(res: Response): boolean {
	return res.status === 303 && (res.headers.get("Location") ?? "").startsWith("/sign-in");
}

describe("session cookie", () => {
	it("opens pages while the session is valid", async () => {
		const user = await makeUser();
		const res = await open((await mintSession(user)).cookie);
		expect(res.status).toBe(200);
		expect(setCookies(res).baton_session).toBeUndefined();
	});

	it("an expired session sends to sign-in and clears the cookie", async () => {
		const user = await makeUser();
		const old = await mintSession(user, { at: nowSeconds() - SESSION_TTL_SECONDS - 60 });
		const res = await open(old.cookie);
		expect(isSentToSignIn(res)).toBe(true);
		expect(setCookies(res).baton_session?.attributes).toContain("Max-Age=0");
	});

	it("a forged session (another user's id under the same signature) is refused", async () => {
		const victim = await makeUser({ isAdmin: true });
		const attacker = await makeUser();
		const { token } = await mintSession(attacker);
		const [header, payload, signature] = token.split(".");
		const claims = JSON.parse(atob((payload ?? "").replaceAll("-", "+").replaceAll("_", "/")));
		const forged = btoa(JSON.stringify({ ...claims, sub: victim.id }))
			.replaceAll("+", "-")
			.replaceAll("/", "_")
			.replace(/=+$/, "");
		expect(isSentToSignIn(await open(`baton_session=${header}.${forged}.${signature}`))).toBe(true);
	});

	it("a session signed by a key that is not configured is refused", async () => {
		const user = await makeUser();
		const stranger = { kid: "test-new", secret: "an-attackers-guess-at-the-session-key" };
		expect(isSentToSignIn(await open((await mintSession(user, { key: stranger })).cookie))).toBe(
			true,
		);
	});

	it("during rotation a session of the old key still works and is re-signed with the new key", async () => {
		const user = await makeUser();
		const oldKey = { kid: "test-old", secret: "test-session-secret-old-0123456789abcdef" };
		const res = await open((await mintSession(user, { key: oldKey })).cookie);
		expect(res.status).toBe(200);
		const renewed = setCookies(res).baton_session?.value ?? "";
		expect(decodeProtectedHeader(renewed).kid).toBe("test-new");
	});

	it("after the old key is retired its sessions are refused", async () => {
		const user = await makeUser();
		const retired = { kid: "test-retired", secret: "a-key-that-was-removed-from-SESSION_KEYS" };
		expect(isSentToSignIn(await open((await mintSession(user, { key: retired })).cookie))).toBe(
			true,
		);
	});

	it("slides: a token past half its life comes back renewed, with the same session", async () => {
		const user = await makeUser();
		const ageing = await mintSession(user, { at: nowSeconds() - SESSION_TTL_SECONDS + 300 });
		const res = await open(ageing.cookie);
		expect(res.status).toBe(200);
		const renewed = setCookies(res).baton_session;
		expect(renewed?.attributes).toContain(`Max-Age=${SESSION_TTL_SECONDS}`);
		const again = await open(`baton_session=${renewed?.value}`);
		expect(again.status).toBe(200);
	});
});

describe("access ends at once", () => {
	it("a deactivated user loses access on the very next request", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		expect((await open(session.cookie)).status).toBe(200);
		await setUserActive(env.DB, user.id, false);
		expect(isSentToSignIn(await open(session.cookie))).toBe(true);
	});

	it("a reactivated user must sign in again: the old sessions stay ended", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		await setUserActive(env.DB, user.id, false);
		await setUserActive(env.DB, user.id, true);
		expect(isSentToSignIn(await open(session.cookie))).toBe(true);
	});

	it("a deactivated user's API tokens stop working on the very next request", async () => {
		const user = await makeUser();
		const { token } = await createApiToken(env.DB, {
			userId: user.id,
			name: "script",
			scopes: ["read"],
			expiresAt: null,
			now: Date.now(),
		});
		const call = () => send("/api/me", { headers: { Authorization: `Bearer ${token}` } });
		expect((await call()).status).toBe(200);
		await setUserActive(env.DB, user.id, false);
		expect((await call()).status).toBe(401);
	});

	it("'sign out everywhere' ends every session of the user", async () => {
		const user = await makeUser();
		const here = await mintSession(user);
		const elsewhere = await mintSession(user);
		const res = await postForm(
			"/account/sessions/end",
			{ _csrf: here.csrf },
			{ Cookie: here.cookie },
		);
		expect(res.status).toBe(303);
		expect(isSentToSignIn(await open(elsewhere.cookie))).toBe(true);
		expect(isSentToSignIn(await open(here.cookie))).toBe(true);
	});

	it("a session minted before a session-version bump is refused", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		await endAllSessions(env.DB, user.id);
		expect(isSentToSignIn(await open(session.cookie))).toBe(true);
	});
});
