// /api/v1/bulk-operations (admins, scope "admin"): bulk actions on the processes the list's
// filters select — preview how many, start one, follow its progress, cancel what is left.
import { Hono } from "hono";
import { isAdmin } from "../../../auth/permissions.ts";
import {
	type BulkOperationRow,
	cancelBulkOperation,
	findBulkOperation,
	unsuccessfulItems,
} from "../../../db/bulk-operations.ts";
import { type BulkRequest, previewBulk, startBulk } from "../../../processes/bulk.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { requireUser } from "../../middleware/authorize.ts";
import { readBody, readEmpty } from "./http.ts";
import { defineOperations, notAdmin, ok, responses } from "./operation.ts";
import { bulkOperationSchema, bulkPreviewSchema, bulkRequestSchema } from "./schemas.ts";

const ID = { operationId: "The bulk operation's id" };

export const bulkOperations = defineOperations("Operations", [
	{
		method: "post",
		path: "/api/v1/bulk-operations",
		operationId: "startBulkOperation",
		summary: "Stop, suspend, resume, retry or migrate the processes a filter selects",
		description:
			"With preview: true, only counts them (and dry-runs a migration's first processes). Otherwise the selection is fixed now and acted on in the background, 25 processes at a time; follow it with GET.",
		scope: "admin",
		body: bulkRequestSchema,
		responses: responses({
			200: ok("The preview", bulkPreviewSchema),
			202: ok("Started", bulkOperationSchema),
			403: notAdmin,
			404: "No such published version (migrate)",
			422: "invalid_params: the body is not valid, or the filters select more than 10,000",
		}),
	},
	{
		method: "get",
		path: "/api/v1/bulk-operations/{operationId}",
		operationId: "getBulkOperation",
		summary: "A bulk operation's progress, and the processes it skipped or failed",
		scope: "admin",
		pathParams: ID,
		responses: responses({
			200: ok("The operation", bulkOperationSchema),
			403: notAdmin,
			404: "No such operation",
		}),
	},
	{
		method: "post",
		path: "/api/v1/bulk-operations/{operationId}/cancel",
		operationId: "cancelBulkOperation",
		summary: "Cancel a running bulk operation: what is done stays done, the rest is left",
		scope: "admin",
		pathParams: ID,
		responses: responses({
			200: ok("Cancelled", bulkOperationSchema),
			403: notAdmin,
			404: "No such operation",
			409: "conflict: it has already finished",
		}),
	},
]);

function requireAdmin(c: Parameters<typeof requireUser>[0]) {
	const user = requireUser(c);
	if (!isAdmin(user)) throw new AppError("forbidden", "Only administrators may do this.");
	return user;
}

/** The operation as the API and the page show it. */
export async function describeBulk(db: D1Database, op: BulkOperationRow) {
	const problems = await unsuccessfulItems(db, op.id);
	return {
		id: op.id,
		action: op.action,
		status: op.status as "running" | "done" | "cancelled",
		total: op.total,
		succeeded: op.succeeded,
		skipped: op.skipped,
		failed: op.failed,
		createdBy: op.createdBy,
		createdAt: op.createdAt,
		finishedAt: op.finishedAt,
		problems: problems.map((p) => ({
			processId: p.processId,
			outcome: p.outcome as "skipped" | "failed",
			message: p.message,
		})),
	};
}

async function found(db: D1Database, id: string) {
	const op = id.length <= 64 ? await findBulkOperation(db, id) : undefined;
	if (!op) throw new AppError("not_found", "There is no such bulk operation.");
	return op;
}

export const bulkApi = new Hono<AppEnv>()
	.post("/bulk-operations", async (c) => {
		const user = requireAdmin(c);
		const body = await readBody(c, bulkRequestSchema);
		const request: BulkRequest = {
			action: body.action,
			filter: body.filter,
			...(body.reason ? { reason: body.reason } : {}),
			...(body.toVersion === undefined ? {} : { toVersion: body.toVersion }),
			...(body.mapping ? { mapping: body.mapping } : {}),
		};
		if (body.preview) return c.json(await previewBulk(c.env, user, request));
		const op = await startBulk(c.env, user, request, Date.now());
		return c.json(await describeBulk(c.env.DB, op), 202);
	})
	.get("/bulk-operations/:id", async (c) => {
		requireAdmin(c);
		return c.json(await describeBulk(c.env.DB, await found(c.env.DB, c.req.param("id"))));
	})
	.post("/bulk-operations/:id/cancel", async (c) => {
		requireAdmin(c);
		await readEmpty(c);
		const op = await found(c.env.DB, c.req.param("id"));
		if (!(await cancelBulkOperation(c.env.DB, op.id, Date.now()))) {
			throw new AppError("conflict", "This bulk operation has already finished.");
		}
		return c.json(await describeBulk(c.env.DB, await found(c.env.DB, op.id)));
	});
