// Starting a process from a page: GET /workflows/:key/start (the form), POST to start it (S1, S2;
// a nonce makes a double submit start one process, S3), then the new process's page.
import { type Context, Hono } from "hono";
import { StartForm, StartPage } from "../../../templates/workflows.tsx";
import { canStartWorkflow } from "../../auth/permissions.ts";
import { findPublishedVersion } from "../../db/workflows.ts";
import { diagramFor } from "../../diagram/cache.ts";
import type { WorkflowDefinition } from "../../engine/index.ts";
import { startAs } from "../../processes/acts.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { requireUser } from "../middleware/authorize.ts";
import { processHref } from "../view-models/format.ts";
import {
	chromeOf,
	isHtmx,
	newNonce,
	postedNonce,
	withNotice,
} from "../view-models/page-context.ts";
import type { PostedBody } from "../view-models/task-form.ts";
import { parseStart, startFormView } from "../view-models/workflows.ts";
import { redirect } from "./session.tsx";

export const startRoutes = new Hono<AppEnv>();

/** The latest published version, if the user may start it; otherwise not found (no hint). */
async function startable(c: Context<AppEnv>): Promise<WorkflowDefinition & { version: number }> {
	const user = requireUser(c);
	const key = c.req.param("key") ?? "";
	const def = key.length <= 100 ? await findPublishedVersion(c.env.DB, key) : undefined;
	if (!def?.version) throw new AppError("not_found", "There is no such workflow.");
	if (!canStartWorkflow(user, key)) throw new AppError("not_found", "There is no such workflow.");
	return def as WorkflowDefinition & { version: number };
}

startRoutes.get("/workflows/:key/start", async (c) => {
	const def = await startable(c);
	const form = startFormView(def, { nonce: newNonce() });
	return c.html(<StartPage chrome={chromeOf(c)} form={form} diagram={diagramFor(def)} />);
});

startRoutes.post("/workflows/:key/start", async (c) => {
	const user = requireUser(c);
	const def = await startable(c);
	// all: a multi-select posts one value per ticked option.
	const body = (await c.req.parseBody({ all: true })) as PostedBody;
	const parsed = parseStart(def, body);
	const nonce = postedNonce(body as Record<string, unknown>);
	if (Object.keys(parsed.errors).length > 0) {
		const form = startFormView(def, {
			nonce: newNonce(),
			typed: parsed.typed,
			processName: parsed.name ?? "",
			priority: parsed.priority,
			errors: parsed.errors,
		});
		if (isHtmx(c)) return c.html(<StartForm form={form} csrfToken={c.var.csrfToken} />, 422);
		return c.html(<StartPage chrome={chromeOf(c)} form={form} diagram={diagramFor(def)} />, 422);
	}
	const started = await startAs(c.env, user, {
		workflowKey: def.key,
		version: def.version,
		params: parsed.params,
		priority: parsed.priority,
		...(parsed.name ? { name: parsed.name } : {}),
		...(nonce ? { idempotencyKey: `page-start:${user.id}:${nonce}` } : {}),
	});
	return redirect(c, withNotice(processHref(started.processId), "started"));
});
