// Rate limits of the outside doors: per webhook trigger and per API token, counted exactly in D1 in
// one atomic statement per request (a fixed one-minute window), answered 429 with Retry-After.
// The Workers rate-limit binding counts per location and approximately (https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/).
import type { MiddlewareHandler } from "hono";
import { parseApiToken } from "../auth/api-tokens.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.tsx";

declare global {
	namespace Cloudflare {
		interface Env {
			/** Requests per minute per API token (a var; default 600). */
			API_RATE_LIMIT_PER_MINUTE?: string;
		}
	}
}

export const WINDOW_MS = 60_000;
export const DEFAULT_API_RATE_LIMIT = 600;

export type RateVerdict =
	| { allowed: true; count: number }
	| { allowed: false; count: number; retryAfterSeconds: number };

/**
 * Counts one request for `key` in the current window and says whether it is within `limit`.
 * Single statement: parallel requests each get their own count, so exactly `limit` pass.
 */
export async function countRequest(
	db: D1Database,
	key: string,
	limit: number,
	now: number,
): Promise<RateVerdict> {
	const windowStart = Math.floor(now / WINDOW_MS) * WINDOW_MS;
	const row = await db
		.prepare(
			`INSERT INTO rate_counters (key, window_start, count) VALUES (?1, ?2, 1)
			 ON CONFLICT(key) DO UPDATE SET
			   count = CASE WHEN window_start >= ?2 THEN count + 1 ELSE 1 END,
			   window_start = max(window_start, ?2)
			 RETURNING count, window_start`,
		)
		.bind(key, windowStart)
		.first<{ count: number; window_start: number }>();
	const count = row?.count ?? 1;
	if (count <= limit) return { allowed: true, count };
	const windowEnd = (row?.window_start ?? windowStart) + WINDOW_MS;
	return {
		allowed: false,
		count,
		retryAfterSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
	};
}

/** The 429 for a refused count: `Retry-After` on the response, the one error format in the body. */
export function rateLimited(
	c: { header: (name: string, value: string) => void },
	verdict: RateVerdict & { allowed: false },
	what: string,
): AppError {
	c.header("Retry-After", String(verdict.retryAfterSeconds));
	return new AppError("rate_limited", `Too many requests for ${what}; retry later.`, {
		retryAfterSeconds: verdict.retryAfterSeconds,
	});
}

export function apiRateLimit(env: Env): number {
	const configured = Number(env.API_RATE_LIMIT_PER_MINUTE);
	return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_API_RATE_LIMIT;
}

/** Per API token: requests authenticated by a token count against it; sessions are not counted. */
export function apiTokenRateLimit(): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		if (c.var.user?.via === "api-token") {
			const presented = /^Bearer\s+(\S+)/i.exec(c.req.header("Authorization") ?? "")?.[1] ?? "";
			const tokenId = parseApiToken(presented)?.id;
			if (tokenId) {
				const verdict = await countRequest(
					c.env.DB,
					`token:${tokenId}`,
					apiRateLimit(c.env),
					Date.now(),
				);
				if (!verdict.allowed) throw rateLimited(c, verdict, "this API token");
			}
		}
		await next();
	};
}
