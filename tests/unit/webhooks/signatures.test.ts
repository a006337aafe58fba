import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { sha256Hex, utf8 } from "../../../src/webhooks/bytes.ts";
import { signGithub, verifyGithub } from "../../../src/webhooks/github.ts";
import { type JwtSettings, parsePublicJwks, verifyJwt } from "../../../src/webhooks/jwt.ts";
import {
	generateStandardSecret,
	parseStandardSecret,
	signStandard,
	verifyStandard,
} from "../../../src/webhooks/standard-webhooks.ts";

const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const SECONDS = NOW / 1000;
const body = utf8('{"order":{"id":"A-1"}}');

// The example of the Standard Webhooks specification's reference libraries.
const SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_TIMESTAMP = "1614265330";
const SPEC_BODY = '{"test": 2432232314}';
const SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

describe("Standard Webhooks", () => {
	it("matches the specification's example signature", async () => {
		expect(await signStandard(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, utf8(SPEC_BODY))).toBe(
			SPEC_SIGNATURE,
		);
		const verdict = await verifyStandard({
			headers: {
				"webhook-id": SPEC_ID,
				"webhook-timestamp": SPEC_TIMESTAMP,
				"webhook-signature": SPEC_SIGNATURE,
			},
			body: utf8(SPEC_BODY),
			secrets: [SPEC_SECRET],
			now: Number(SPEC_TIMESTAMP) * 1000,
		});
		expect(verdict).toEqual({ ok: true, deliveryId: SPEC_ID, dedupeKey: SPEC_ID });
	});

	it("generates secrets of 32 bytes in the whsec_ format", () => {
		const secret = generateStandardSecret();
		expect(secret).toMatch(/^whsec_/);
		expect(parseStandardSecret(secret)?.length).toBe(32);
		expect(parseStandardSecret("whsec_c2hvcnQ=")).toBeNull();
		expect(parseStandardSecret("nope")).toBeNull();
	});

	async function check(headers: Record<string, string>, secrets = [SPEC_SECRET], raw = body) {
		return verifyStandard({ headers, body: raw, secrets, now: NOW });
	}

	async function headersFor(opts: { id?: string; ts?: number; secret?: string } = {}) {
		const id = opts.id ?? "msg_1";
		const ts = String(opts.ts ?? SECONDS);
		return {
			"webhook-id": id,
			"webhook-timestamp": ts,
			"webhook-signature": await signStandard(opts.secret ?? SPEC_SECRET, id, ts, body),
		};
	}

	it("accepts at the edges of the five-minute window and refuses one second past them", async () => {
		expect((await check(await headersFor({ ts: SECONDS - 300 }))).ok).toBe(true);
		expect((await check(await headersFor({ ts: SECONDS + 300 }))).ok).toBe(true);
		expect(await check(await headersFor({ ts: SECONDS - 301 }))).toMatchObject({
			reason: "timestamp_too_old",
		});
		expect(await check(await headersFor({ ts: SECONDS + 301 }))).toMatchObject({
			reason: "timestamp_in_future",
		});
	});

	it("tries every live secret (rotation) and refuses when none matches", async () => {
		const other = generateStandardSecret();
		const h = await headersFor({ secret: other });
		expect((await check(h, [SPEC_SECRET, other])).ok).toBe(true);
		expect(await check(h, [SPEC_SECRET])).toMatchObject({ reason: "bad_signature" });
		expect(await check(h, [])).toMatchObject({ reason: "no_secret" });
	});

	it("ignores v1a and unknown versions, and truncated signatures", async () => {
		const h = await headersFor();
		const good = h["webhook-signature"];
		expect(await check({ ...h, "webhook-signature": `v1a,${good.slice(3)}` })).toMatchObject({
			reason: "bad_signature",
		});
		expect(await check({ ...h, "webhook-signature": good.slice(0, -4) })).toMatchObject({
			reason: "bad_signature",
		});
	});
});

describe("GitHub signatures", () => {
	const secret = "a-github-secret-of-some-length";

	it("accepts sha256=<hex HMAC of the body> and de-duplicates on the body's hash", async () => {
		const verdict = await verifyGithub({
			headers: {
				"x-hub-signature-256": await signGithub(secret, body),
				"x-github-delivery": "d-1",
			},
			body,
			secrets: [secret],
		});
		expect(verdict).toEqual({
			ok: true,
			deliveryId: "d-1",
			dedupeKey: `sha256:${await sha256Hex(body)}`,
		});
	});

	it("refuses another secret, a missing header and a malformed signature", async () => {
		const signed = await signGithub("another-secret-entirely", body);
		const headers = { "x-hub-signature-256": signed, "x-github-delivery": "d-1" };
		expect(await verifyGithub({ headers, body, secrets: [secret] })).toMatchObject({
			reason: "bad_signature",
		});
		expect(
			await verifyGithub({ headers: { "x-hub-signature-256": signed }, body, secrets: [secret] }),
		).toMatchObject({ reason: "missing_headers" });
		expect(
			await verifyGithub({
				headers: { ...headers, "x-hub-signature-256": "sha1=abc" },
				body,
				secrets: [secret],
			}),
		).toMatchObject({ reason: "malformed_headers" });
	});
});

describe("JWT senders", () => {
	const shared = "0123456789abcdef0123456789abcdef-shared";
	const settings = { algorithm: "HS256" as const, audience: "baton", issuer: "shop" };

	async function token(
		opts: {
			iat?: number;
			exp?: number;
			aud?: string;
			iss?: string;
			hash?: string;
			jti?: string;
		} = {},
	) {
		const iat = opts.iat ?? SECONDS;
		const jwt = new SignJWT({ body_sha256: opts.hash ?? (await sha256Hex(body)) })
			.setProtectedHeader({ alg: "HS256" })
			.setIssuedAt(iat)
			.setExpirationTime(opts.exp ?? iat + 60)
			.setAudience(opts.aud ?? "baton")
			.setIssuer(opts.iss ?? "shop");
		if (opts.jti !== "") jwt.setJti(opts.jti ?? "jti-1");
		return jwt.sign(utf8(shared));
	}

	const verify = (jwt: string, secrets = [shared], s: JwtSettings = settings) =>
		verifyJwt({
			headers: { authorization: `Bearer ${jwt}` },
			body,
			secrets,
			settings: s,
			now: NOW,
		});

	it("accepts a token with the right key, audience, issuer, age and body hash; jti is the delivery id", async () => {
		expect(await verify(await token())).toEqual({
			ok: true,
			deliveryId: "jti-1",
			dedupeKey: "jti-1",
		});
	});

	it("refuses alg none, an expired token, a wrong key, audience or issuer, and another body", async () => {
		const none = new UnsecuredJWT({ body_sha256: await sha256Hex(body) })
			.setJti("j")
			.setIssuedAt(SECONDS)
			.setExpirationTime(SECONDS + 60)
			.setAudience("baton")
			.encode();
		expect(await verify(none)).toMatchObject({ ok: false, reason: "bad_token" });
		expect(await verify(await token({ iat: SECONDS - 100, exp: SECONDS - 10 }))).toMatchObject({
			reason: "token_expired",
		});
		expect(await verify(await token({ iat: SECONDS - 400, exp: SECONDS + 400 }))).toMatchObject({
			reason: "token_expired",
		});
		expect(await verify(await token({ iat: SECONDS + 400, exp: SECONDS + 500 }))).toMatchObject({
			reason: "timestamp_in_future",
		});
		expect(await verify(await token(), ["another-shared-secret-of-32-characters!"])).toMatchObject({
			reason: "bad_signature",
		});
		expect(await verify(await token({ aud: "someone-else" }))).toMatchObject({
			reason: "bad_token",
		});
		expect(await verify(await token({ iss: "mallory" }))).toMatchObject({ reason: "bad_token" });
		expect(await verify(await token({ hash: "00".repeat(32) }))).toMatchObject({
			reason: "body_mismatch",
		});
		expect(await verify(await token({ jti: "" }))).toMatchObject({ reason: "bad_token" });
	});

	it("verifies with the sender's public keys and refuses an HS256 token signed with their public key", async () => {
		const { publicKey, privateKey } = await generateKeyPair("ES256");
		const jwk = { ...(await exportJWK(publicKey)), kid: "k1" };
		const jwks = JSON.stringify({ keys: [jwk] });
		const es = { algorithm: "ES256" as const, audience: "baton" };
		const signed = await new SignJWT({ body_sha256: await sha256Hex(body) })
			.setProtectedHeader({ alg: "ES256", kid: "k1" })
			.setJti("es-1")
			.setIssuedAt(SECONDS)
			.setExpirationTime(SECONDS + 60)
			.setAudience("baton")
			.sign(privateKey);
		expect(await verify(signed, [jwks], es)).toMatchObject({ ok: true, deliveryId: "es-1" });
		// Algorithm confusion: an HS256 token keyed with the public JWK's text.
		const confused = await new SignJWT({ body_sha256: await sha256Hex(body) })
			.setProtectedHeader({ alg: "HS256", kid: "k1" })
			.setJti("x")
			.setIssuedAt(SECONDS)
			.setExpirationTime(SECONDS + 60)
			.setAudience("baton")
			.sign(utf8(jwks));
		expect(await verify(confused, [jwks], es)).toMatchObject({ ok: false, reason: "bad_token" });
	});

	it("accepts only public JWKS of the pinned algorithm's key type", async () => {
		const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
		const pub = JSON.stringify({ keys: [await exportJWK(publicKey)] });
		const priv = JSON.stringify({ keys: [await exportJWK(privateKey)] });
		expect(parsePublicJwks(pub, "ES256").ok).toBe(true);
		expect(parsePublicJwks(pub, "RS256")).toMatchObject({ ok: false });
		expect(parsePublicJwks(priv, "ES256")).toMatchObject({ ok: false });
		expect(parsePublicJwks("nope", "ES256")).toMatchObject({ ok: false });
	});
});
