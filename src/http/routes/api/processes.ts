// /api/v1/processes: start (once per Idempotency-Key, S3), list what you may see (filters, cursor
// pages), get one with its tasks and history, stop. A process you may not see answers 404.
import { type Context, Hono } from "hono";
import { listProcessesFor } from "../../../db/process-index.ts";
import { processStub } from "../../../durable/process-client.ts";
import { checkStartParams } from "../../../engine/index.ts";
import { visibleProcess } from "../../../processes/access.ts";
import { startAs, stopProcess } from "../../../processes/acts.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { requireUser } from "../../middleware/authorize.ts";
import { decodeCursor, encodeCursor, originOf, readBody, readEmpty, readQuery } from "./http.ts";
import { defineOperations, notYours, ok, responses } from "./operation.ts";
import {
	processListQuery,
	processPageSchema,
	processSchema,
	startedSchema,
	startProcessSchema,
	stoppedSchema,
} from "./schemas.ts";
import { processDetail, processSummary, processUrl } from "./views.ts";

type Ctx = Context<AppEnv>;

/** A process id, or a subprocess's (`p-…/t1/p1`), each "/" as it is or escaped (%2F). */
export const PROCESS_ID = ":id{p-[0-9a-f]{32}(?:(?:/|%2[Ff])t[0-9]+(?:/|%2[Ff])p[0-9]+)*}";
const IDEMPOTENCY_KEY_RE = /^[\x21-\x7e]{1,255}$/;
export const idParam = { processId: 'The process id, "p-" and 32 hex digits' };
export const idempotencyHeader = {
	name: "Idempotency-Key",
	description:
		"Up to 255 visible ASCII characters, yours alone: the same key (with the same request) answers with the first process; with another request, 409",
};
export const processOperations = defineOperations("Processes", [
	{
		method: "post",
		path: "/api/v1/processes",
		operationId: "startProcess",
		summary: "Start a process of a published workflow",
		scope: "processes:write",
		headers: [idempotencyHeader],
		body: startProcessSchema,
		responses: responses({
			201: ok("Started (or, for a repeated Idempotency-Key, the first one)", startedSchema),
			403: "You may not start this workflow",
			404: "No published workflow with this key",
			409: "Idempotency-Key reused for another request",
			422: "invalid_params: the body is not valid",
		}),
	},
	{
		method: "get",
		path: "/api/v1/processes",
		operationId: "listProcesses",
		summary: "List the processes you may see, newest first",
		scope: "read",
		query: processListQuery,
		responses: responses({ 200: ok("A page", processPageSchema) }),
	},
	{
		method: "get",
		path: "/api/v1/processes/{processId}",
		operationId: "getProcess",
		summary: "Get a process with its tasks and history",
		scope: "read",
		pathParams: idParam,
		responses: responses({
			200: ok("The process", processSchema),
			404: notYours("process"),
			410: "Removed by retention; `details` says when (`removedAt`) and why (`reason`)",
		}),
	},
	{
		method: "post",
		path: "/api/v1/processes/{processId}/stop",
		operationId: "stopProcess",
		summary: "Stop a running process: its active tasks are revoked (P3)",
		scope: "processes:write",
		pathParams: idParam,
		headers: [idempotencyHeader],
		responses: responses({
			200: ok("Stopped", stoppedSchema),
			403: "You may see it but not stop it",
			404: notYours("process"),
			409: "not_running: it has already ended",
		}),
	},
]);

export function idempotencyKey(c: Ctx): string | undefined {
	const key = c.req.header("Idempotency-Key");
	if (key === undefined) return undefined;
	if (!IDEMPOTENCY_KEY_RE.test(key)) {
		throw new AppError("invalid_request", "Idempotency-Key: 1 to 255 visible ASCII characters.");
	}
	return key;
}

/** The same JSON text for the same value whatever the key order. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
	if (value && typeof value === "object") {
		const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
	}
	return JSON.stringify(value);
}

/** The process id of the path, with its slashes (a subprocess: `p-…/t1/p1`, "/" or %2F). */
export function processIdOf(c: Ctx): string {
	return decodeURIComponent(c.req.param("id") ?? "");
}

export const processesApi = new Hono<AppEnv>()
	.post("/processes", async (c) => {
		const user = requireUser(c);
		const key = idempotencyKey(c);
		const input = await readBody(c, startProcessSchema);
		const params = input.params ?? {};
		const started = await startAs(c.env, user, {
			workflowKey: input.workflowKey,
			...(input.version === undefined ? {} : { version: input.version }),
			params,
			priority: input.priority ?? null,
			...(input.name ? { name: input.name } : {}),
			...(key ? { idempotencyKey: `api:${user.id}:${key}` } : {}),
		});
		if (key) {
			// S3: the key names the first process; a different request under it is a client error.
			const view = await processStub(c.env, started.processId).view();
			// The process holds the params with the start form's defaults filled in (T10).
			const given = view ? checkStartParams(view.definition, params) : undefined;
			const same =
				view?.state.workflow.key === input.workflowKey &&
				(input.version === undefined || view.state.workflow.version === input.version) &&
				given?.ok === true &&
				canonical(view.state.params) === canonical(given.params);
			if (!same) {
				throw new AppError("conflict", "This Idempotency-Key was used for another request.", {
					processId: started.processId,
				});
			}
		}
		const url = processUrl(originOf(c), started.processId);
		c.header("Location", `/api/v1/processes/${started.processId}`);
		return c.json({ processId: started.processId, version: started.version, url }, 201);
	})
	.get("/processes", async (c) => {
		const user = requireUser(c);
		const q = readQuery(c, processListQuery);
		const after = decodeCursor(q.cursor);
		const { items, hasMore } = await listProcessesFor(c.env.DB, user, {
			status: q.status,
			workflow: q.workflow,
			startedBy: q.startedBy === "me" ? user.id : q.startedBy,
			after,
			limit: q.limit,
		});
		const last = items.at(-1);
		const origin = originOf(c);
		return c.json({
			items: items.map((r) => processSummary(r, origin)),
			nextCursor: hasMore && last ? encodeCursor(last.createdAt, last.id) : null,
		});
	})
	.get(`/processes/${PROCESS_ID}`, async (c) => {
		const user = requireUser(c);
		const view = await visibleProcess(c.env, user, processIdOf(c));
		const events = await processStub(c.env, view.state.id).history(0, 500);
		return c.json(processDetail(view, events, originOf(c)));
	})
	.post(`/processes/${PROCESS_ID}/stop`, async (c) => {
		const user = requireUser(c);
		const key = idempotencyKey(c);
		await readEmpty(c);
		const id = processIdOf(c);
		const view = await stopProcess(c.env, user, id, key ? `stop:${user.id}:${key}` : undefined);
		return c.json({ processId: id, status: view.state.status });
	});
