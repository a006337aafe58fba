// Cloudflare Access mode: when Access fronts the app, every request carries `Cf-Access-Jwt-Assertion`,
// an RS256 JWT signed by the team's keys. It is verified here with jose (issuer, audience, expiry,
// algorithm pinned); the middleware then maps its email to a Baton user. No password is involved.
// https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/
import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from "jose";

export const ACCESS_HEADER = "Cf-Access-Jwt-Assertion";

export interface AccessConfig {
	/** `https://<team>.cloudflareaccess.com`, the issuer of the assertions. */
	issuer: string;
	/** The application's AUD tag. */
	audience: string;
}

export interface AccessIdentity {
	email: string;
	subject: string;
}

/**
 * Access mode is on when both `ACCESS_TEAM_DOMAIN` and `ACCESS_AUD` are set. The team domain may be
 * given as `team`, `team.cloudflareaccess.com` or `https://team.cloudflareaccess.com`.
 */
export function accessConfigFrom(env: {
	ACCESS_TEAM_DOMAIN?: string;
	ACCESS_AUD?: string;
}): AccessConfig | null {
	const team = env.ACCESS_TEAM_DOMAIN?.trim();
	const audience = env.ACCESS_AUD?.trim();
	if (!team || !audience) return null;
	let host = team.replace(/^https?:\/\//, "").replace(/\/+$/, "");
	if (!host.includes(".")) host = `${host}.cloudflareaccess.com`;
	return { issuer: `https://${host}`, audience };
}

const remoteKeySets = new Map<string, JWTVerifyGetKey>();

/** The team's public keys, fetched from its certs endpoint and cached by jose (per isolate). */
export function remoteAccessKeys(config: AccessConfig): JWTVerifyGetKey {
	let keys = remoteKeySets.get(config.issuer);
	if (!keys) {
		keys = createRemoteJWKSet(new URL(`${config.issuer}/cdn-cgi/access/certs`));
		remoteKeySets.set(config.issuer, keys);
	}
	return keys;
}

/**
 * The identity in a valid assertion, or null: a wrong signature or unknown key, another algorithm,
 * another issuer or audience, an expired or not-yet-valid token, or no email (a service token).
 */
export async function verifyAccessAssertion(
	assertion: string | undefined,
	config: AccessConfig,
	keys: JWTVerifyGetKey,
	now: Date = new Date(),
): Promise<AccessIdentity | null> {
	if (!assertion || assertion.length > 16_384) return null;
	try {
		const { payload } = await jwtVerify(assertion, keys, {
			algorithms: ["RS256"],
			issuer: config.issuer,
			audience: config.audience,
			requiredClaims: ["exp", "iat", "sub"],
			clockTolerance: 30,
			currentDate: now,
		});
		const email = typeof payload.email === "string" ? payload.email : "";
		if (!email || !payload.sub) return null;
		return { email, subject: payload.sub };
	} catch (err) {
		if (err instanceof errors.JOSEError) return null;
		throw err;
	}
}
