// The webhook door: `POST /hooks/:trigger`. Size first (64 KiB, 413 before anything is read), then
// src/webhooks/receive.ts verifies and acts. The trigger's rate limit counts deliveries once their
// signature is verified, so unsigned requests cannot use up a sender's deliveries; refused requests
// (unsigned, forged, oversized) have their own count with the same limit, past which they are
// answered 429 and not logged. No session, no CSRF: a delivery is authenticated by its signature
// alone (the hooks door, src/http/doors.ts).
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { findTrigger } from "../../db/webhooks.ts";
import { logOversized } from "../../webhooks/delivery-log.ts";
import { keptHeaders, type Receipt } from "../../webhooks/receipt.ts";
import { type FoundTrigger, type RateGate, receiveDelivery } from "../../webhooks/receive.ts";
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

type Ctx = { env: Env; header: (n: string, v: string) => void };

async function findOr404(c: Ctx, key: string): Promise<FoundTrigger> {
	const found = triggerKeySchema.safeParse(key).success
		? await findTrigger(c.env.DB, key)
		: undefined;
	if (!found) throw new AppError("not_found", "No such webhook trigger.");
	return found;
}

/** Counts one request of the trigger in `bucket`; throws the 429 past the trigger's limit. */
async function count(c: Ctx, found: FoundTrigger, bucket: "hook" | "hook-refused") {
	const key = found.trigger.key;
	const verdict = await countRequest(
		c.env.DB,
		`${bucket}:${key}`,
		found.trigger.rateLimitPerMinute,
		Date.now(),
	);
	if (!verdict.allowed) {
		throw rateLimited(
			c,
			verdict,
			bucket === "hook" ? "this webhook trigger" : "refused deliveries to this webhook trigger",
		);
	}
}

function gate(c: Ctx, found: FoundTrigger): RateGate {
	return {
		verified: () => count(c, found, "hook"),
		refused: () => count(c, found, "hook-refused"),
	};
}

export const hookRoutes = new Hono<AppEnv>().post(
	"/:trigger",
	bodyLimit({
		maxSize: MAX_HOOK_BODY_BYTES,
		onError: async (c) => {
			// Logged for the admin (without the body, which was not read), within the refused count.
			const found = await findOr404(c, c.req.param("trigger") ?? "");
			await count(c, found, "hook-refused");
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
		const found = await findOr404(c, c.req.param("trigger"));
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
		const accepted = await receiveDelivery(c.env, found, receipt, gate(c, found));
		return c.json(accepted.body, accepted.status);
	},
);
