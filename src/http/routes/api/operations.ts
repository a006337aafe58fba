// /api/v1 operations on running processes (admins, scope "admin"): suspend and resume (O1),
// migrate to another version with a dry run first (O2), correct values before a retry (O3); and
// the audit log that records each of them and every other administrator's change.
import { Hono } from "hono";
import { isAdmin } from "../../../auth/permissions.ts";
import { listAudit } from "../../../db/audit.ts";
import { migrateProcesses } from "../../../processes/migrations.ts";
import { correctValues, resumeProcess, suspendProcess } from "../../../processes/operations.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { requireUser } from "../../middleware/authorize.ts";
import {
	decodeCursor,
	encodeCursor,
	readBody,
	readEmpty,
	readOptionalBody,
	readQuery,
} from "./http.ts";
import { defineOperations, notAdmin, notYours, ok, responses } from "./operation.ts";
import {
	idempotencyHeader,
	idempotencyKey,
	idParam,
	PROCESS_ID,
	processIdOf,
} from "./processes.ts";
import {
	auditPageSchema,
	auditQuery,
	correctedSchema,
	correctValuesSchema,
	migrationReportSchema,
	migrationRequestSchema,
	suspendSchema,
	suspensionSchema,
} from "./schemas.ts";

export const operationOperations = defineOperations("Operations", [
	{
		method: "post",
		path: "/api/v1/processes/{processId}/suspend",
		operationId: "suspendProcess",
		summary: "Suspend a running process: it starts, fires and accepts nothing until resumed (O1)",
		scope: "admin",
		pathParams: idParam,
		headers: [idempotencyHeader],
		body: suspendSchema,
		responses: responses({
			200: ok("Suspended", suspensionSchema),
			403: notAdmin,
			404: notYours("process"),
			409: "suspended: it is already suspended; not_running: it has ended",
		}),
	},
	{
		method: "post",
		path: "/api/v1/processes/{processId}/resume",
		operationId: "resumeProcess",
		summary: "Resume a suspended process: what came in meanwhile runs now, in order (O1)",
		scope: "admin",
		pathParams: idParam,
		headers: [idempotencyHeader],
		responses: responses({
			200: ok("Resumed", suspensionSchema),
			403: notAdmin,
			404: notYours("process"),
			409: "conflict: it is not suspended",
		}),
	},
	{
		method: "post",
		path: "/api/v1/processes/{processId}/values",
		operationId: "correctProcessValues",
		summary: "Correct the params, or a failed task's values, before a retry (O3)",
		description:
			"The history records each value's old and new (ValuesCorrected); the audit log records who and which fields.",
		scope: "admin",
		pathParams: idParam,
		headers: [idempotencyHeader],
		body: correctValuesSchema,
		responses: responses({
			200: ok("Corrected", correctedSchema),
			403: notAdmin,
			404: notYours("process"),
			409: "The task has not failed, or the process is not running",
			422: "invalid_params: the values do not fit the start form or the task's params",
		}),
	},
	{
		method: "post",
		// Not /workflows/{key}/migrations: beside POST /workflows/validate, Hono's RegExpRouter cannot
		// hold it, and the TrieRouter it falls back to breaks the process-id routes.
		path: "/api/v1/migrations/{workflowKey}",
		operationId: "migrateProcesses",
		summary: "Migrate running processes to a published version, or see the dry run (O2)",
		description:
			"Up to 100 processes per call, by id or by filter (then `next` pages on). Each process moves atomically or stays, with the plan's reasons (blockers). dryRun defaults to true.",
		scope: "admin",
		pathParams: { workflowKey: "The workflow's key" },
		body: migrationRequestSchema,
		responses: responses({
			200: ok("The plan of each process, and whether it moved", migrationReportSchema),
			403: notAdmin,
			404: "No such published version",
			422: "invalid_params: the body is not valid",
		}),
	},
	{
		method: "get",
		path: "/api/v1/audit",
		operationId: "listAudit",
		summary: "The audit log of administrators' changes, newest first",
		scope: "admin",
		query: auditQuery,
		responses: responses({ 200: ok("A page", auditPageSchema), 403: notAdmin }),
	},
]);

function requireAdmin(c: Parameters<typeof requireUser>[0]) {
	const user = requireUser(c);
	if (!isAdmin(user)) throw new AppError("forbidden", "Only administrators may do this.");
	return user;
}

function suspension(view: Awaited<ReturnType<typeof suspendProcess>>) {
	return {
		processId: view.state.id,
		status: view.state.status,
		suspended: view.state.suspended ?? null,
	};
}

export const operationsApi = new Hono<AppEnv>()
	.post(`/processes/${PROCESS_ID}/suspend`, async (c) => {
		const user = requireAdmin(c);
		const key = idempotencyKey(c);
		const { reason } = await readOptionalBody(c, suspendSchema);
		const view = await suspendProcess(c.env, user, processIdOf(c), reason || undefined, key);
		return c.json(suspension(view));
	})
	.post(`/processes/${PROCESS_ID}/resume`, async (c) => {
		const user = requireAdmin(c);
		const key = idempotencyKey(c);
		await readEmpty(c);
		const view = await resumeProcess(c.env, user, processIdOf(c), key);
		return c.json(suspension(view));
	})
	.post(`/processes/${PROCESS_ID}/values`, async (c) => {
		const user = requireAdmin(c);
		const key = idempotencyKey(c);
		const body = await readBody(c, correctValuesSchema);
		const view = await correctValues(
			c.env,
			user,
			processIdOf(c),
			{ values: body.values, ...(body.taskId ? { taskId: body.taskId } : {}) },
			key,
		);
		return c.json({ processId: view.state.id, revision: view.revision });
	})
	.post("/migrations/:key", async (c) => {
		const user = requireAdmin(c);
		const body = await readBody(c, migrationRequestSchema);
		const report = await migrateProcesses(c.env, user, {
			workflowKey: c.req.param("key"),
			toVersion: body.toVersion,
			mapping: body.mapping,
			dryRun: body.dryRun,
			...(body.processIds ? { processIds: body.processIds } : {}),
			...(body.filter?.fromVersion === undefined ? {} : { fromVersion: body.filter.fromVersion }),
			...(body.filter?.after ? { after: body.filter.after } : {}),
		});
		return c.json(report);
	})
	.get("/audit", async (c) => {
		requireAdmin(c);
		const q = readQuery(c, auditQuery);
		const before = decodeCursor(q.cursor);
		const { items, hasMore } = await listAudit(c.env.DB, {
			...(q.actor ? { actor: q.actor } : {}),
			...(q.action ? { action: q.action } : {}),
			...(q.target ? { target: q.target } : {}),
			...(q.from === undefined ? {} : { from: q.from }),
			...(q.to === undefined ? {} : { to: q.to }),
			...(before ? { before } : {}),
			limit: q.limit,
		});
		const last = items.at(-1);
		return c.json({ items, nextCursor: hasMore && last ? encodeCursor(last.at, last.id) : null });
	});
