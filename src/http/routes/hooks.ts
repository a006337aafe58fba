// The webhook door: `POST /hooks/:trigger`. Size first (64 KiB, 413 before anything is read), then
// the trigger's rate limit (429), then src/webhooks/receive.ts verifies and acts. No session, no
// CSRF: a delivery is authenticated by its signature alone (src/http/middleware/paths.ts).
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { findTrigger } from "../../db/webhooks.ts";
import { logOversized } from "../../webhooks/delivery-log.ts";
import { keptHeaders, type Receipt } from "../../webhooks/receipt.ts";
import { receiveDelivery } from "../../webhooks/receive.ts";
import { triggerKeySchema } from "../../webhooks/trigger.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { countRequest, rateLimited } from "../rate-limit.ts";

/** The largest delivery accepted, in bytes. */
export const MAX_HOOK_BODY_BYTES = 64 * 1024;

const tooLarge = () =>
	new AppError("payload_too_large", `The body exceeds ${MAX_HOOK_BODY_BYTES} bytes.`, {
		maxBytes: MAX_HOOK_BODY_BYTES,
	});

async function findCounted(c: { env: Env; header: (n: string, v: string) => void }, key: string) {
	const found = triggerKeySchema.safeParse(key).success
		? await findTrigger(c.env.DB, key)
		: undefined;
	if (!found) throw new AppError("not_found", "No such webhook trigger.");
	const verdict = await countRequest(
		c.env.DB,
		`hook:${key}`,
		found.trigger.rateLimitPerMinute,
		Date.now(),
	);
	if (!verdict.allowed) throw rateLimited(c, verdict, "this webhook trigger");
	return found;
}

export const hookRoutes = new Hono<AppEnv>().post(
	"/hooks/:trigger",
	bodyLimit({
		maxSize: MAX_HOOK_BODY_BYTES,
		onError: async (c) => {
			// Logged for the admin (without the body, which was not read), within the rate limit.
			const found = await findCounted(c, c.req.param("trigger") ?? "");
			const size = Number(c.req.header("content-length") ?? 0);
			await logOversized(
				c.env.DB,
				found.trigger.key,
				keptHeaders(c.req.raw.headers),
				size,
				Date.now(),
			);
			throw tooLarge();
		},
	}),
	async (c) => {
		const found = await findCounted(c, c.req.param("trigger"));
		const body = new Uint8Array(await c.req.arrayBuffer());
		if (body.length > MAX_HOOK_BODY_BYTES) throw tooLarge();
		const now = Date.now();
		const receipt: Receipt = {
			headers: keptHeaders(c.req.raw.headers),
			body,
			receivedAt: now,
			verifyAt: now,
			origin: new URL(c.req.url).origin,
		};
		const accepted = await receiveDelivery(c.env, found, receipt);
		return c.json(accepted.body, accepted.status);
	},
);
