import { env } from "cloudflare:workers";
import { Hono } from "hono";
import {
	createLocalJWKSet,
	exportJWK,
	generateKeyPair,
	type JWK,
	type JWTPayload,
	SignJWT,
} from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ACCESS_HEADER, accessConfigFrom } from "../../src/auth/access.ts";
import { setUserActive } from "../../src/db/people.ts";
import { createApp } from "../../src/http/app.ts";
import type { AppEnv } from "../../src/http/context.ts";
import { handleError } from "../../src/http/errors.tsx";
import { authenticate } from "../../src/http/middleware/authenticate.ts";
import { makeUser } from "./auth-fixtures.ts";

const TEAM = "https://acme.cloudflareaccess.com";
const AUD = "0123456789abcdef-application-aud";
const accessEnv = { ...env, ACCESS_TEAM_DOMAIN: "acme.cloudflareaccess.com", ACCESS_AUD: AUD };

// Locally generated keys stand in for the team's: one the app trusts, one it has never seen.
const teamKeys = await generateKeyPair("RS256", { extractable: true });
const strangerKeys = await generateKeyPair("RS256", { extractable: true });
const teamJwk: JWK = { ...(await exportJWK(teamKeys.publicKey)), kid: "team-1", alg: "RS256" };
const jwks = { keys: [teamJwk] };

async function assertion(
	claims: JWTPayload,
	edit: (jwt: SignJWT) => SignJWT = (j) => j,
	key: CryptoKey = teamKeys.privateKey,
	kid = "team-1",
): Promise<string> {
	const jwt = new SignJWT({ type: "app", ...claims })
		.setProtectedHeader({ alg: "RS256", kid })
		.setIssuer(TEAM)
		.setAudience(AUD)
		.setSubject("access-subject-1")
		.setIssuedAt()
		.setNotBefore("0s")
		.setExpirationTime("10m");
	return edit(jwt).sign(key);
}

/** The authentication middleware with the team's keys given locally, behind one echo route. */
function accessApp() {
	const app = new Hono<AppEnv>();
	app.use(authenticate({ anonymous: "sign-in", accessKeys: createLocalJWKSet(jwks) }));
	app.get("/whoami", (c) => c.json({ id: c.var.user.id, via: c.var.user.via }));
	app.onError(handleError);
	return app;
}

function ask(token?: string) {
	const headers: Record<string, string> = token ? { [ACCESS_HEADER]: token } : {};
	return accessApp().request("http://baton.example.com/whoami", { headers }, accessEnv);
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe("Cloudflare Access mode", () => {
	it("is on only when both the team domain and the audience are set", () => {
		expect(accessConfigFrom({})).toBeNull();
		expect(accessConfigFrom({ ACCESS_TEAM_DOMAIN: "acme" })).toBeNull();
		expect(accessConfigFrom({ ACCESS_TEAM_DOMAIN: "acme", ACCESS_AUD: AUD })).toEqual({
			issuer: TEAM,
			audience: AUD,
		});
		expect(accessConfigFrom({ ACCESS_TEAM_DOMAIN: `${TEAM}/`, ACCESS_AUD: AUD })?.issuer).toBe(
			TEAM,
		);
	});

	it("maps a valid assertion to the user with that email", async () => {
		const user = await makeUser();
		const res = await ask(await assertion({ email: user.email.toUpperCase() }));
		expect(res.status).toBe(200);
		expect(await res.json()).toEqual({ id: user.id, via: "access" });
	});

	it("refuses a request without an assertion", async () => {
		expect((await ask()).status).toBe(401);
	});

	it("refuses an assertion for another application (wrong audience)", async () => {
		const user = await makeUser();
		const token = await assertion({ email: user.email }, (j) => j.setAudience("another-app"));
		expect((await ask(token)).status).toBe(401);
	});

	it("refuses an assertion from another team (wrong issuer)", async () => {
		const user = await makeUser();
		const token = await assertion({ email: user.email }, (j) =>
			j.setIssuer("https://evil.cloudflareaccess.com"),
		);
		expect((await ask(token)).status).toBe(401);
	});

	it("refuses an expired assertion", async () => {
		const user = await makeUser();
		const past = Math.floor(Date.now() / 1000) - 3600;
		const token = await assertion({ email: user.email }, (j) =>
			j
				.setIssuedAt(past)
				.setNotBefore(past)
				.setExpirationTime(past + 600),
		);
		expect((await ask(token)).status).toBe(401);
	});

	it("refuses an assertion signed by an unknown key", async () => {
		const user = await makeUser();
		const sameKid = await assertion({ email: user.email }, undefined, strangerKeys.privateKey);
		const otherKid = await assertion(
			{ email: user.email },
			undefined,
			strangerKeys.privateKey,
			"team-2",
		);
		expect((await ask(sameKid)).status).toBe(401);
		expect((await ask(otherKid)).status).toBe(401);
	});

	it("refuses a service-token assertion that carries no email", async () => {
		expect((await ask(await assertion({ common_name: "ci.access" }))).status).toBe(401);
	});

	it("refuses a valid assertion for an email with no account, or a deactivated one", async () => {
		expect((await ask(await assertion({ email: "stranger@example.com" }))).status).toBe(403);
		const user = await makeUser();
		await setUserActive(env.DB, user.id, false);
		expect((await ask(await assertion({ email: user.email }))).status).toBe(403);
	});

	it("fetches the team's keys from its certs endpoint, and has no password sign-in", async () => {
		const user = await makeUser();
		const fetchSpy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input) => {
			const url = input instanceof Request ? input.url : String(input);
			if (url === `${TEAM}/cdn-cgi/access/certs`) return Response.json(jwks);
			return new Response("unexpected fetch", { status: 500 });
		});
		const app = createApp();
		const headers = { [ACCESS_HEADER]: await assertion({ email: user.email }) };
		const me = await app.request("https://baton.example.com/api/me", { headers }, accessEnv);
		expect(me.status).toBe(200);
		expect(await me.json()).toMatchObject({ id: user.id, via: "access" });
		expect(fetchSpy).toHaveBeenCalled();

		const signIn = await app.request("https://baton.example.com/sign-in", { headers }, accessEnv);
		expect(signIn.status).toBe(303);
		const post = await app.request(
			"https://baton.example.com/sign-in",
			{
				method: "POST",
				headers: {
					...headers,
					"Content-Type": "application/x-www-form-urlencoded",
					Origin: "https://baton.example.com",
				},
				body: "email=x%40example.com&password=y",
			},
			accessEnv,
		);
		expect([403, 404]).toContain(post.status);
	});
});
