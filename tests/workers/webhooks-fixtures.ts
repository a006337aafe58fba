// Helpers for the webhook tests: triggers written straight to D1, deliveries signed the way each

// kind of sender signs them, and counts of what exists (process rows, ProcessObjects, log rows).
import { listDurableObjectIds } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { SignJWT } from "jose";
import { createTrigger, type NewTrigger } from "../../src/db/webhooks.ts";
import { sha256Hex, utf8 } from "../../src/webhooks/bytes.ts";
import { signGithub } from "../../src/webhooks/github.ts";
import { signStandard } from "../../src/webhooks/standard-webhooks.ts";
import { ORIGIN } from "./auth-fixtures.ts";

export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
export const OTHER_SECRET = "whsec_dGhpcyBpcyBhIGRpZmZlcmVudCBzZWNyZXQ=";

let counter = 0;
export function unique(prefix: string): string {
	counter += 1;
	return `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function makeTrigger(
	overrides: Partial<NewTrigger> & { workflowKey: string },
	material = SECRET,
): Promise<string> {
	const key = overrides.key ?? unique("hook");
	const created = await createTrigger(
		env.DB,
		{
			key,
			name: key,
			kind: "start",
			scheme: "standard",
			mapping: {},
			rateLimitPerMinute: 1000,
			...overrides,
		},
		material,
		{ now: Date.now(), by: "test" },
	);
	if (!created) throw new Error(`trigger ${key} exists`);
	return key;
}

export function nowSeconds(): number {
	return Math.floor(Date.now() / 1000);
}

export interface Signed {
	id?: string;
	timestamp?: number;
	secret?: string;
	headers?: Record<string, string>;
}

/** Standard Webhooks headers for `body`, signed with `secret` (defaults: a fresh id, now). */
export async function standardHeaders(
	body: string,
	opts: Signed = {},
): Promise<Record<string, string>> {
	const id = opts.id ?? unique("msg");
	const timestamp = opts.timestamp ?? nowSeconds();
	return {
		"content-type": "application/json",
		"webhook-id": id,
		"webhook-timestamp": String(timestamp),
		"webhook-signature": await signStandard(opts.secret ?? SECRET, id, timestamp, utf8(body)),
	};
}

export function postHook(
	key: string,
	body: BodyInit,
	headers: Record<string, string>,
): Promise<Response> {
	return exports.default.fetch(
		new Request(`${ORIGIN}/hooks/${key}`, { method: "POST", body, headers }),
	);
}

/** A Standard Webhooks delivery of `payload`. */
export async function deliver(key: string, payload: unknown, opts: Signed = {}): Promise<Response> {
	const body = JSON.stringify(payload);
	return postHook(key, body, { ...(await standardHeaders(body, opts)), ...opts.headers });
}

export async function githubHeaders(
	body: string,
	secret: string,
	delivery = crypto.randomUUID(),
): Promise<Record<string, string>> {
	return {
		"content-type": "application/json",
		"x-github-event": "push",
		"x-github-delivery": delivery,
		"x-hub-signature-256": await signGithub(secret, utf8(body)),
	};
}

/** A JWT as a sender makes it: jti, iat, exp, audience and the body's hash. */
export async function senderJwt(
	body: string,
	key: CryptoKey | Uint8Array,
	opts: {
		alg?: string;
		audience?: string;
		issuer?: string;
		jti?: string;
		iat?: number;
		exp?: number;
		kid?: string;
		bodyHash?: string;
	} = {},
): Promise<string> {
	const iat = opts.iat ?? nowSeconds();
	const jwt = new SignJWT({ body_sha256: opts.bodyHash ?? (await sha256Hex(utf8(body))) })
		.setProtectedHeader({ alg: opts.alg ?? "HS256", ...(opts.kid ? { kid: opts.kid } : {}) })
		.setJti(opts.jti ?? unique("jti"))
		.setIssuedAt(iat)
		.setExpirationTime(opts.exp ?? iat + 120)
		.setAudience(opts.audience ?? "baton");
	if (opts.issuer) jwt.setIssuer(opts.issuer);
	return jwt.sign(key);
}

export async function processRows(workflowKey: string): Promise<number> {
	const row = await env.DB.prepare("SELECT count(*) AS n FROM processes WHERE workflow_key = ?1")
		.bind(workflowKey)
		.first<{ n: number }>();
	return row?.n ?? 0;
}

/** How many ProcessObjects hold storage (each started process has one). */
export async function processObjects(): Promise<number> {
	return (await listDurableObjectIds(env.PROCESS)).length;
}

export interface LoggedDelivery {
	id: string;
	status: string;
	http_status: number;
	code: string | null;
	reason: string | null;
	process_id: string | null;
	task_id: string | null;
	delivery_id: string | null;
	body: string | null;
	replay_of: string | null;
}

export async function deliveriesOf(triggerKey: string): Promise<LoggedDelivery[]> {
	const { results } = await env.DB.prepare(
		"SELECT * FROM webhook_deliveries WHERE trigger_key = ?1 ORDER BY received_at, id",
	)
		.bind(triggerKey)
		.all<LoggedDelivery>();
	return results;
}
