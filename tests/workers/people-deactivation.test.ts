// Deactivating a user revokes their API tokens for good: reactivating them later must not bring
// old tokens back (whoever kept a copy of one would be let in again). They make new ones.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApiToken, listApiTokens } from "../../src/auth/credential-store.ts";
import { setUserActive } from "../../src/db/people.ts";
import { signedIn } from "./admin-fixtures.ts";
import { makeUser } from "./auth-fixtures.ts";

function me(token: string): Promise<Response> {
	return exports.default.fetch(
		new Request("http://localhost/api/me", { headers: { Authorization: `Bearer ${token}` } }),
	);
}

async function userWithToken() {
	const user = await makeUser({ name: "tess" });
	const { token } = await createApiToken(env.DB, {
		userId: user.id,
		name: "script",
		scopes: ["read"],
		expiresAt: null,
		now: Date.now(),
	});
	expect((await me(token)).status).toBe(200);
	return { user, token };
}

describe("deactivating a user", () => {
	it("through the admin page revokes their tokens, which stay revoked after reactivation", async () => {
		const admin = await signedIn();
		const { user, token } = await userWithToken();
		const off = await admin.post(`/admin/users/${user.id}/active`, { active: "false" });
		expect(off.status).toBe(303);
		expect((await me(token)).status).toBe(401);

		const on = await admin.post(`/admin/users/${user.id}/active`, { active: "true" });
		expect(on.status).toBe(303);
		expect((await me(token)).status).toBe(401);
		const tokens = await listApiTokens(env.DB, user.id);
		expect(tokens).toHaveLength(1);
		expect(tokens[0]?.revokedAt).not.toBeNull();
	});

	it("in the repository (setUserActive) revokes them too", async () => {
		const { user, token } = await userWithToken();
		await setUserActive(env.DB, user.id, false);
		await setUserActive(env.DB, user.id, true);
		expect((await me(token)).status).toBe(401);
	});

	it("reactivation leaves the user free to make new tokens, which work", async () => {
		const { user } = await userWithToken();
		await setUserActive(env.DB, user.id, false);
		await setUserActive(env.DB, user.id, true);
		const { token } = await createApiToken(env.DB, {
			userId: user.id,
			name: "new",
			scopes: ["read"],
			expiresAt: null,
			now: Date.now(),
		});
		expect((await me(token)).status).toBe(200);
	});
});
