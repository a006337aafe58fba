// Session tokens: short-lived JWTs (HS256, jose) carrying the user id, the user's session version and
// a session id. Several keys verify (by `kid`), the first one signs, which is how keys rotate.
// Whether the user is still active, and their roles, is checked against D1 by the middleware.
import { errors, type JWTHeaderParameters, jwtVerify, SignJWT } from "jose";
import { z } from "zod";

export const SESSION_ISSUER = "baton";
export const SESSION_AUDIENCE = "baton:session";
/** A session token lives this long; a request in its second half gets a fresh one (sliding). */
export const SESSION_TTL_SECONDS = 30 * 60;
/** However active, a session ends this long after sign-in; then the password is asked again. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;
const ALGORITHM = "HS256";
const CLOCK_TOLERANCE_SECONDS = 5;

export interface SessionKey {
	kid: string;
	secret: string;
}

export interface SessionClaims {
	userId: string;
	sessionVersion: number;
	/** Stable across renewals; sign-out puts it on the deny list. */
	sessionId: string;
	/** Epoch seconds of the sign-in. */
	signedInAt: number;
	/** Epoch seconds. */
	expiresAt: number;
	/** The key that signed this token. */
	kid: string;
}

/** A configuration problem: the deployment, not the user, must fix it. */
export class SessionConfigError extends Error {
	override name = "SessionConfigError";
}

const keysSchema = z
	.array(
		z.strictObject({
			kid: z.string().regex(/^[\w.-]{1,64}$/, "kid: 1-64 letters, digits, '_', '.' or '-'"),
			secret: z.string().min(32, "secret: at least 32 characters").max(512),
		}),
	)
	.min(1, "at least one key")
	.max(8)
	.refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, "kids must be unique");

const parsedKeys = new Map<string, SessionKey[]>();

/**
 * Reads the `SESSION_KEYS` secret: a JSON array `[{"kid","secret"}]`. The first key signs new
 * tokens; every key listed verifies. Rotation: put the new key first, keep the old one for at least
 * SESSION_TTL_SECONDS, then remove it (docs/people.md).
 */
export function parseSessionKeys(raw: string | undefined): SessionKey[] {
	if (!raw) throw new SessionConfigError("SESSION_KEYS is not set (see docs/people.md).");
	const cached = parsedKeys.get(raw);
	if (cached) return cached;
	let json: unknown;
	try {
		json = JSON.parse(raw);
	} catch {
		throw new SessionConfigError("SESSION_KEYS is not valid JSON.");
	}
	const result = keysSchema.safeParse(json);
	if (!result.success) {
		const reason = result.error.issues.map((i) => i.message).join("; ");
		throw new SessionConfigError(`SESSION_KEYS is invalid: ${reason}`);
	}
	parsedKeys.set(raw, result.data);
	return result.data;
}

const encoder = new TextEncoder();

function secretOf(key: SessionKey): Uint8Array {
	return encoder.encode(key.secret);
}

export interface NewSession {
	userId: string;
	sessionVersion: number;
	sessionId: string;
	/** Epoch seconds; kept from the first sign-in across renewals. */
	signedInAt: number;
}

/** Signs a session token with the first key, valid from `now` for SESSION_TTL_SECONDS. */
export async function signSession(
	keys: readonly SessionKey[],
	session: NewSession,
	nowSeconds: number,
): Promise<{ token: string; expiresAt: number }> {
	const key = keys[0];
	if (!key) throw new SessionConfigError("No session key to sign with.");
	const expiresAt = Math.min(
		nowSeconds + SESSION_TTL_SECONDS,
		session.signedInAt + SESSION_MAX_AGE_SECONDS,
	);
	const token = await new SignJWT({ sv: session.sessionVersion, sat: session.signedInAt })
		.setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: "JWT" })
		.setSubject(session.userId)
		.setJti(session.sessionId)
		.setIssuer(SESSION_ISSUER)
		.setAudience(SESSION_AUDIENCE)
		.setIssuedAt(nowSeconds)
		.setNotBefore(nowSeconds)
		.setExpirationTime(expiresAt)
		.sign(secretOf(key));
	return { token, expiresAt };
}

const claimsSchema = z.object({
	sub: z.string().min(1).max(128),
	jti: z.string().min(1).max(128),
	sv: z.number().int().nonnegative(),
	sat: z.number().int().nonnegative(),
	exp: z.number().int(),
});

/**
 * The claims of a valid session token, or null. Refused: a bad signature, an unknown or missing
 * `kid`, any algorithm but HS256 (so `alg: none` too), a wrong issuer or audience, expiry, a `nbf`
 * in the future, a session older than SESSION_MAX_AGE_SECONDS.
 */
export async function verifySession(
	keys: readonly SessionKey[],
	token: string,
	nowSeconds: number,
): Promise<SessionClaims | null> {
	if (token.length > 4096) return null;
	let kid = "";
	const keyFor = (header: JWTHeaderParameters): Uint8Array => {
		const key = keys.find((k) => k.kid === header.kid);
		if (!key) throw new errors.JWKSNoMatchingKey();
		kid = key.kid;
		return secretOf(key);
	};
	try {
		const { payload } = await jwtVerify(token, keyFor, {
			algorithms: [ALGORITHM],
			issuer: SESSION_ISSUER,
			audience: SESSION_AUDIENCE,
			requiredClaims: ["sub", "jti", "exp", "nbf", "iat"],
			clockTolerance: CLOCK_TOLERANCE_SECONDS,
			maxTokenAge: SESSION_TTL_SECONDS + CLOCK_TOLERANCE_SECONDS,
			currentDate: new Date(nowSeconds * 1000),
		});
		const claims = claimsSchema.safeParse(payload);
		if (!claims.success) return null;
		const { sub, jti, sv, sat, exp } = claims.data;
		if (nowSeconds > sat + SESSION_MAX_AGE_SECONDS) return null;
		return {
			userId: sub,
			sessionVersion: sv,
			sessionId: jti,
			signedInAt: sat,
			expiresAt: exp,
			kid,
		};
	} catch (err) {
		if (err instanceof errors.JOSEError) return null;
		throw err;
	}
}

/**
 * True when the token should be re-issued: past half its life, or signed by a key that is no
 * longer the first (so rotation moves active sessions to the new key), unless the session's
 * maximum age leaves nothing to extend.
 */
export function shouldRenew(
	keys: readonly SessionKey[],
	claims: SessionClaims,
	nowSeconds: number,
): boolean {
	const canExtend = claims.signedInAt + SESSION_MAX_AGE_SECONDS > claims.expiresAt;
	if (!canExtend) return false;
	return claims.expiresAt - nowSeconds < SESSION_TTL_SECONDS / 2 || claims.kid !== keys[0]?.kid;
}
