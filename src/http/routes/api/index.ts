// The JSON API under /api/v1: the rate limit per API token, then one module per resource. Its door
// (src/http/doors.ts) has already limited the body (64 KiB, 413 before any handler reads), found
// who is asking (an API token or a session) and checked the scope the operation declares.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { apiTokenRateLimit } from "../../rate-limit.ts";
import { bulkApi } from "./bulk.ts";
import { collaborationApi } from "./collaboration.ts";
import { openApiRoute } from "./docs.tsx";
import { externalTasksApi } from "./external-tasks.ts";
import { messagesApi } from "./messages.ts";
import { operationsApi } from "./operations.ts";
import { processesApi } from "./processes.ts";
import { tasksApi } from "./tasks.ts";
import { webhooksApi } from "./webhooks.ts";
import { workflowsApi } from "./workflows.ts";

/** The largest request body the API reads, in bytes. */
export const MAX_API_BODY_BYTES = 64 * 1024;

export const apiV1 = new Hono<AppEnv>()
	.use(apiTokenRateLimit())
	.route("/", workflowsApi)
	.route("/", processesApi)
	.route("/", operationsApi)
	.route("/", bulkApi)
	.route("/", tasksApi)
	.route("/", collaborationApi)
	.route("/", messagesApi)
	.route("/", externalTasksApi)
	.route("/", webhooksApi)
	.route("/", openApiRoute)
	.all("*", () => {
		throw new AppError("not_found", "No such API route; see /api/v1/openapi.json.");
	});
