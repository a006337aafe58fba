// The JSON API under /api/v1: its own body limit (64 KiB, 413 before any handler reads), the rate
// limit per API token, then one module per resource. Authentication (API token or session) and the
// scope a token needs were decided by the middleware in app.ts; errors leave through errors.tsx.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { apiTokenRateLimit } from "../../rate-limit.ts";
import { openApiRoute } from "./docs.tsx";
import { processesApi } from "./processes.ts";
import { tasksApi } from "./tasks.ts";
import { webhooksApi } from "./webhooks.ts";
import { workflowsApi } from "./workflows.ts";

/** The largest request body the API reads, in bytes. */
export const MAX_API_BODY_BYTES = 64 * 1024;

export const apiV1 = new Hono<AppEnv>()
	.use(
		bodyLimit({
			maxSize: MAX_API_BODY_BYTES,
			onError: () => {
				throw new AppError("payload_too_large", `The body exceeds ${MAX_API_BODY_BYTES} bytes.`, {
					maxBytes: MAX_API_BODY_BYTES,
				});
			},
		}),
	)
	.use(apiTokenRateLimit())
	.route("/", workflowsApi)
	.route("/", processesApi)
	.route("/", tasksApi)
	.route("/", webhooksApi)
	.route("/", openApiRoute)
	.all("*", () => {
		throw new AppError("not_found", "No such API route; see /api/v1/openapi.json.");
	});
