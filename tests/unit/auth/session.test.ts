import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import {
	parseSessionKeys,
	SESSION_AUDIENCE,
	SESSION_ISSUER,
	SESSION_MAX_AGE_SECONDS,
	SESSION_TTL_SECONDS,
	SessionConfigError,
	type SessionKey,
	shouldRenew,
	signSession,
	verifySession,
} from "../../../src/auth/session.ts";

const oldKey: SessionKey = { kid: "2026-10", secret: "old-secret-old-secret-old-secret-0001" };
const newKey: SessionKey = { kid: "2026-11", secret: "new-secret-new-secret-new-secret-0002" };
const NOW = 1_800_000_000; // a fake clock, epoch seconds
const session = { userId: "u-1", sessionVersion: 3, sessionId: "s-1", signedInAt: NOW };

function b64url(value: unknown): string {
	return Buffer.from(JSON.stringify(value)).toString("base64url");
}

async function craft(
	key: SessionKey,
	edit: (jwt: SignJWT) => SignJWT,
	header: Record<string, unknown> = {},
): Promise<string> {
	const base = new SignJWT({ sv: 3, sat: NOW })
		.setProtectedHeader({ alg: "HS256", kid: key.kid, ...header })
		.setSubject("u-1")
		.setJti("s-1")
		.setIssuer(SESSION_ISSUER)
		.setAudience(SESSION_AUDIENCE)
		.setIssuedAt(NOW)
		.setNotBefore(NOW)
		.setExpirationTime(NOW + SESSION_TTL_SECONDS);
	return edit(base).sign(new TextEncoder().encode(key.secret));
}

describe("session tokens", () => {
	it("verify when signed with the current key, and carry the user, version and session id", async () => {
		const { token, expiresAt } = await signSession([newKey], session, NOW);
		const claims = await verifySession([newKey], token, NOW + 60);
		expect(claims).toEqual({ ...session, expiresAt, kid: newKey.kid });
		expect(expiresAt).toBe(NOW + SESSION_TTL_SECONDS);
	});

	it("refuse a forged token: payload changed under the old signature", async () => {
		const { token } = await signSession([newKey], session, NOW);
		const [header, , signature] = token.split(".");
		const payload = b64url({
			sub: "u-admin",
			jti: "s-1",
			sv: 3,
			sat: NOW,
			iss: SESSION_ISSUER,
			aud: SESSION_AUDIENCE,
			iat: NOW,
			nbf: NOW,
			exp: NOW + SESSION_TTL_SECONDS,
		});
		expect(await verifySession([newKey], `${header}.${payload}.${signature}`, NOW)).toBeNull();
	});

	it("refuse a token whose signature was altered", async () => {
		const { token } = await signSession([newKey], session, NOW);
		const tampered = `${token.slice(0, -2)}${token.endsWith("AA") ? "BB" : "AA"}`;
		expect(await verifySession([newKey], tampered, NOW)).toBeNull();
	});

	it("refuse an expired token", async () => {
		const { token } = await signSession([newKey], session, NOW);
		expect(await verifySession([newKey], token, NOW + SESSION_TTL_SECONDS + 60)).toBeNull();
	});

	it("refuse a token that is not valid yet (nbf in the future)", async () => {
		const token = await craft(newKey, (j) => j.setNotBefore(NOW + 600));
		expect(await verifySession([newKey], token, NOW)).toBeNull();
	});

	it("refuse a token for another audience or from another issuer", async () => {
		const otherAudience = await craft(newKey, (j) => j.setAudience("someone-else"));
		const otherIssuer = await craft(newKey, (j) => j.setIssuer("not-baton"));
		expect(await verifySession([newKey], otherAudience, NOW)).toBeNull();
		expect(await verifySession([newKey], otherIssuer, NOW)).toBeNull();
	});

	it("refuse an unsigned token (alg: none)", async () => {
		const header = b64url({ alg: "none", typ: "JWT", kid: newKey.kid });
		const payload = b64url({
			sub: "u-1",
			jti: "s-1",
			sv: 3,
			sat: NOW,
			iss: SESSION_ISSUER,
			aud: SESSION_AUDIENCE,
			iat: NOW,
			nbf: NOW,
			exp: NOW + SESSION_TTL_SECONDS,
		});
		expect(await verifySession([newKey], `${header}.${payload}.`, NOW)).toBeNull();
	});

	it("refuse another algorithm even with the right secret (HS512)", async () => {
		const token = await craft(newKey, (j) => j, { alg: "HS512" });
		expect(await verifySession([newKey], token, NOW)).toBeNull();
	});

	it("refuse a token signed with the wrong key under a known kid", async () => {
		const impostor: SessionKey = {
			kid: newKey.kid,
			secret: "guessed-secret-guessed-secret-000000",
		};
		const { token } = await signSession([impostor], session, NOW);
		expect(await verifySession([newKey], token, NOW)).toBeNull();
	});

	it("refuse a token with an unknown or missing kid", async () => {
		const stranger: SessionKey = { kid: "elsewhere", secret: newKey.secret };
		const { token } = await signSession([stranger], session, NOW);
		expect(await verifySession([newKey], token, NOW)).toBeNull();
		const noKid = await new SignJWT({ sv: 3, sat: NOW })
			.setProtectedHeader({ alg: "HS256" })
			.setSubject("u-1")
			.setJti("s-1")
			.setIssuer(SESSION_ISSUER)
			.setAudience(SESSION_AUDIENCE)
			.setIssuedAt(NOW)
			.setNotBefore(NOW)
			.setExpirationTime(NOW + 60)
			.sign(new TextEncoder().encode(newKey.secret));
		expect(await verifySession([newKey], noKid, NOW)).toBeNull();
	});

	it("accept a token of the old key during rotation, and refuse it once the key is retired", async () => {
		const { token } = await signSession([oldKey], session, NOW);
		const duringRotation = [newKey, oldKey];
		const claims = await verifySession(duringRotation, token, NOW + 60);
		expect(claims?.kid).toBe(oldKey.kid);
		expect(shouldRenew(duringRotation, claims!, NOW + 60)).toBe(true);
		expect(await verifySession([newKey], token, NOW + 60)).toBeNull();
	});

	it("renew in the second half of the token's life, never past the session's maximum age", async () => {
		const { token } = await signSession([newKey], session, NOW);
		const early = await verifySession([newKey], token, NOW + 60);
		expect(shouldRenew([newKey], early!, NOW + 60)).toBe(false);
		const late = await verifySession([newKey], token, NOW + SESSION_TTL_SECONDS - 60);
		expect(shouldRenew([newKey], late!, NOW + SESSION_TTL_SECONDS - 60)).toBe(true);

		const nearEnd = NOW + SESSION_MAX_AGE_SECONDS - 600;
		const last = await signSession([newKey], session, nearEnd);
		expect(last.expiresAt).toBe(NOW + SESSION_MAX_AGE_SECONDS);
		const lastClaims = await verifySession([newKey], last.token, nearEnd + 500);
		expect(shouldRenew([newKey], lastClaims!, nearEnd + 500)).toBe(false);
	});

	it("refuse a session older than the maximum age, however fresh its token", async () => {
		const token = await new SignJWT({ sv: 3, sat: NOW - SESSION_MAX_AGE_SECONDS - 1 })
			.setProtectedHeader({ alg: "HS256", kid: newKey.kid })
			.setSubject("u-1")
			.setJti("s-1")
			.setIssuer(SESSION_ISSUER)
			.setAudience(SESSION_AUDIENCE)
			.setIssuedAt(NOW - 10)
			.setNotBefore(NOW - 10)
			.setExpirationTime(NOW + 600)
			.sign(new TextEncoder().encode(newKey.secret));
		expect(await verifySession([newKey], token, NOW)).toBeNull();
	});
});

describe("SESSION_KEYS", () => {
	it("reads a JSON list of keys, the first one signing", () => {
		const keys = parseSessionKeys(JSON.stringify([newKey, oldKey]));
		expect(keys.map((k) => k.kid)).toEqual([newKey.kid, oldKey.kid]);
	});

	it("refuses a missing, malformed, short-secret or duplicate-kid configuration", () => {
		expect(() => parseSessionKeys(undefined)).toThrow(SessionConfigError);
		expect(() => parseSessionKeys("not json")).toThrow(/JSON/);
		expect(() => parseSessionKeys("[]")).toThrow(/at least one key/);
		expect(() => parseSessionKeys(JSON.stringify([{ kid: "a", secret: "short" }]))).toThrow(
			/32 characters/,
		);
		expect(() => parseSessionKeys(JSON.stringify([newKey, { ...newKey }]))).toThrow(/unique/);
	});
});
