// Bulk actions on the processes list (admins): POST /bulk-actions with step=preview (how many, and
// a migration's dry run) or step=start, GET /bulk-actions (the latest), GET /bulk-actions/:id
// (progress; htmx gets the part that refreshes), POST /bulk-actions/:id/cancel. Not under
// /processes/: a fixed segment beside /processes/:id makes Hono fall back to a router that breaks
// the API's process-id routes.
import { Hono } from "hono";
import {
	BulkListPage,
	BulkOperationPage,
	BulkPreviewPage,
	BulkProgress,
} from "../../../templates/bulk.tsx";
import { isAdmin } from "../../auth/permissions.ts";
import {
	cancelBulkOperation,
	findBulkOperation,
	recentBulkOperations,
	unsuccessfulItems,
} from "../../db/bulk-operations.ts";
import {
	type BulkFilter,
	type BulkRequest,
	isBulkAction,
	previewBulk,
	startBulk,
} from "../../processes/bulk.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { requireUser } from "../middleware/authorize.ts";
import { bulkOperationView, bulkPreviewView } from "../view-models/bulk-page.ts";
import { chromeOf, isHtmx } from "../view-models/page-context.ts";
import { processFilterFrom } from "../view-models/processes-list.ts";
import { redirect } from "./session.tsx";

export const bulkRoutes = new Hono<AppEnv>();

function requireAdmin(c: Parameters<typeof requireUser>[0]) {
	const user = requireUser(c);
	if (!isAdmin(user)) throw new AppError("forbidden", "Only administrators may do this.");
	return user;
}

/** The form's fields as a bulk request: the list's filters (checked as the list checks them). */
async function requestFrom(c: Parameters<typeof requireUser>[0]) {
	const form = await c.req.parseBody();
	const text = (key: string) => (typeof form[key] === "string" ? (form[key] as string) : undefined);
	const { filter, errors } = processFilterFrom({
		q: text("q"),
		workflow: text("workflow"),
		status: text("status"),
		suspended: text("suspended"),
		from: text("from"),
		to: text("to"),
	});
	const problem = Object.values(errors)[0];
	if (problem) throw new AppError("invalid_params", problem);
	const { page: _page, ...selection } = filter;
	const action = text("action");
	if (!isBulkAction(action))
		throw new AppError("invalid_params", "Choose an action from the list.");
	const request: BulkRequest = { action, filter: selection as BulkFilter };
	const reason = text("reason")?.trim().slice(0, 500);
	if (action === "suspend" && reason) request.reason = reason;
	if (action === "migrate") {
		const version = Number.parseInt(text("toVersion") ?? "", 10);
		if (Number.isInteger(version)) request.toVersion = version;
	}
	return { request, step: text("step") === "start" ? "start" : "preview" };
}

bulkRoutes.post("/bulk-actions", async (c) => {
	const user = requireAdmin(c);
	const { request, step } = await requestFrom(c);
	if (step === "start") {
		const op = await startBulk(c.env, user, request, Date.now());
		return redirect(c, `/bulk-actions/${op.id}`);
	}
	const preview = await previewBulk(c.env, user, request);
	const extra = [
		...(request.reason ? [{ name: "reason", value: request.reason }] : []),
		...(request.toVersion ? [{ name: "toVersion", value: String(request.toVersion) }] : []),
	];
	const view = bulkPreviewView(preview, request.filter, extra, request.toVersion);
	c.header("Cache-Control", "no-store");
	return c.html(<BulkPreviewPage chrome={chromeOf(c)} view={view} />);
});

bulkRoutes.get("/bulk-actions", async (c) => {
	requireAdmin(c);
	const now = Date.now();
	const items = (await recentBulkOperations(c.env.DB)).map((op) => bulkOperationView(op, [], now));
	c.header("Cache-Control", "no-store");
	return c.html(<BulkListPage chrome={chromeOf(c)} items={items} />);
});

async function operationView(env: Env, id: string) {
	const op = id.length <= 64 ? await findBulkOperation(env.DB, id) : undefined;
	if (!op) throw new AppError("not_found", "There is no such bulk action.");
	return bulkOperationView(op, await unsuccessfulItems(env.DB, op.id), Date.now());
}

bulkRoutes.get("/bulk-actions/:id", async (c) => {
	requireAdmin(c);
	const view = await operationView(c.env, c.req.param("id"));
	c.header("Cache-Control", "no-store");
	c.header("Vary", "HX-Request");
	if (isHtmx(c)) return c.html(<BulkProgress view={view} csrfToken={c.var.csrfToken} />);
	return c.html(<BulkOperationPage chrome={chromeOf(c)} view={view} />);
});

bulkRoutes.post("/bulk-actions/:id/cancel", async (c) => {
	requireAdmin(c);
	const id = c.req.param("id");
	await operationView(c.env, id);
	await cancelBulkOperation(c.env.DB, id, Date.now());
	return redirect(c, `/bulk-actions/${id}`);
});
