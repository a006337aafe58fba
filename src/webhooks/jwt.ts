// JWT-authenticated senders: `Authorization: Bearer <JWT>` verified with jose against a shared
// secret (HS256) or the sender's public keys (a JWKS), the algorithm pinned per trigger, `alg: none`
// never accepted, a five-minute token age, `jti` as the delivery id, and the raw body bound to the
// token by its `body_sha256` claim (hex), so a captured token cannot carry another body.
import {
	createLocalJWKSet,
	errors,
	type JSONWebKeySet,
	type JWTPayload,
	type JWTVerifyGetKey,
	jwtVerify,
} from "jose";
import { z } from "zod";
import { sha256Hex, toHex, utf8 } from "./bytes.ts";
import { DELIVERY_ID_RE, refuse, TOLERANCE_SECONDS, type Verdict } from "./verdict.ts";

export const JWT_ALGORITHMS = ["HS256", "RS256", "PS256", "ES256", "EdDSA"] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** The claim that binds the body: lower-case hex SHA-256 of the exact bytes sent. */
export const BODY_HASH_CLAIM = "body_sha256";

const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k"] as const;
const KTY_FOR: Record<Exclude<JwtAlgorithm, "HS256">, string> = {
	RS256: "RSA",
	PS256: "RSA",
	ES256: "EC",
	EdDSA: "OKP",
};

const jwkSchema = z.looseObject({ kty: z.string(), kid: z.string().max(200).optional() });
const jwksSchema = z.strictObject({ keys: z.array(jwkSchema).min(1).max(10) });

/** A shared HS256 secret: at least 32 characters (256 bits when random). */
export function isJwtSharedSecret(secret: string): boolean {
	return secret.length >= 32 && secret.length <= 512;
}

export function generateJwtSharedSecret(): string {
	return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

/**
 * The sender's public keys for `alg`, parsed from JSON; a problem message when the text is not a
 * JWKS of public keys of the right type (a private key pasted by mistake is refused, not stored).
 */
export function parsePublicJwks(
	text: string,
	alg: JwtAlgorithm,
): { ok: true; jwks: JSONWebKeySet } | { ok: false; message: string } {
	if (alg === "HS256") return { ok: false, message: "HS256 uses a shared secret, not a JWKS" };
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		return { ok: false, message: 'not JSON; paste a JWKS: {"keys": [...]}' };
	}
	const parsed = jwksSchema.safeParse(raw);
	if (!parsed.success) return { ok: false, message: 'not a JWKS: {"keys": [ ...1 to 10 keys ]}' };
	for (const key of parsed.data.keys) {
		if (PRIVATE_MEMBERS.some((m) => m in key)) {
			return {
				ok: false,
				message: "the JWKS holds a private or symmetric key; paste public keys only",
			};
		}
		if (key.kty !== KTY_FOR[alg])
			return { ok: false, message: `${alg} needs ${KTY_FOR[alg]} keys` };
	}
	return { ok: true, jwks: parsed.data as JSONWebKeySet };
}

export interface JwtSettings {
	algorithm: JwtAlgorithm;
	audience: string;
	issuer?: string | null;
}

function keyFor(material: string, alg: JwtAlgorithm): Uint8Array | JWTVerifyGetKey | null {
	if (alg === "HS256") return isJwtSharedSecret(material) ? utf8(material) : null;
	const parsed = parsePublicJwks(material, alg);
	return parsed.ok ? createLocalJWKSet(parsed.jwks) : null;
}

/** Errors that only say "not this key": the next live key is tried. */
function isKeyMismatch(e: unknown): boolean {
	return (
		e instanceof errors.JWSSignatureVerificationFailed || e instanceof errors.JWKSNoMatchingKey
	);
}

function refusalFor(e: unknown): Verdict {
	if (e instanceof errors.JWTExpired) return refuse("token_expired", "The token has expired.");
	if (e instanceof errors.JWTClaimValidationFailed) {
		if (e.claim === "iat" || e.claim === "nbf") {
			return refuse("timestamp_in_future", `The token's "${e.claim}" is in the future.`);
		}
		return refuse("bad_token", `The token's "${e.claim}" claim is not accepted.`);
	}
	if (e instanceof errors.JOSEAlgNotAllowed) {
		return refuse("bad_token", "The token's algorithm is not the one this trigger accepts.");
	}
	return refuse("bad_token", "The token is malformed.");
}

/**
 * Checks `Authorization: Bearer <JWT>`: the pinned algorithm, each live key in turn, audience (and
 * issuer when set), `exp`, `iat` within five minutes, `jti`, and the body hash claim.
 */
export async function verifyJwt(input: {
	headers: Record<string, string | undefined>;
	body: Uint8Array;
	secrets: readonly string[];
	settings: JwtSettings;
	now: number;
}): Promise<Verdict> {
	const auth = input.headers.authorization;
	if (!auth) return refuse("missing_headers", "Send Authorization: Bearer <JWT>.");
	const token = /^Bearer ([A-Za-z0-9_.-]{1,8192})$/.exec(auth)?.[1];
	if (!token) return refuse("malformed_headers", "Authorization must be Bearer <JWT>.");
	const { algorithm, audience, issuer } = input.settings;
	const keys = input.secrets
		.map((m) => keyFor(m, algorithm))
		.filter((k): k is NonNullable<typeof k> => k !== null);
	if (keys.length === 0) return refuse("no_secret", "The trigger has no live key.");
	let payload: JWTPayload | undefined;
	for (const key of keys) {
		try {
			const options = {
				algorithms: [algorithm],
				audience,
				...(issuer ? { issuer } : {}),
				maxTokenAge: TOLERANCE_SECONDS,
				clockTolerance: 5,
				currentDate: new Date(input.now),
				requiredClaims: ["jti", "iat", "exp", BODY_HASH_CLAIM],
			};
			payload =
				key instanceof Uint8Array
					? (await jwtVerify(token, key, options)).payload
					: (await jwtVerify(token, key, options)).payload;
			break;
		} catch (e) {
			if (!isKeyMismatch(e)) return refusalFor(e);
		}
	}
	if (!payload) return refuse("bad_signature", "The token's signature matches no key.");
	const jti = payload.jti;
	if (typeof jti !== "string" || !DELIVERY_ID_RE.test(jti)) {
		return refuse("bad_token", "The token's jti is missing or malformed.");
	}
	if (payload[BODY_HASH_CLAIM] !== (await sha256Hex(input.body))) {
		return refuse("body_mismatch", `The token's ${BODY_HASH_CLAIM} is not the body's SHA-256.`);
	}
	return { ok: true, deliveryId: jti, dedupeKey: jti };
}
