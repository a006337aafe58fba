// A workflow's retention setting (issue #16): POST /admin/workflows/:key/retention. The sweep that
// applies it runs on the Cron Trigger (src/retention/sweep.ts).
import { Hono } from "hono";
import { MAX_RETENTION_DAYS, saveWorkflowRetention } from "../../../db/retention.ts";
import { findWorkflow } from "../../../db/workflows.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { redirect, withNotice } from "../../view-models/page-context.ts";
import { adminName, posted } from "./guard.ts";
import { workflowPath } from "./workflow-files.ts";

export const retentionRoutes = new Hono<AppEnv>();

retentionRoutes.post("/workflows/:key/retention", async (c) => {
	const key = c.req.param("key");
	if (!(await findWorkflow(c.env.DB, key)))
		throw new AppError("not_found", "There is no such workflow.");
	const form = await posted(c);
	const raw = (form.retentionDays ?? "").trim();
	const days = raw === "" ? null : Number(raw);
	if (days !== null && !(Number.isInteger(days) && days >= 1 && days <= MAX_RETENTION_DAYS)) {
		throw new AppError(
			"invalid_params",
			`Keep finished processes for a whole number of days from 1 to ${MAX_RETENTION_DAYS}, or leave it empty for the default.`,
		);
	}
	await saveWorkflowRetention(
		c.env.DB,
		key,
		{ retentionDays: days, archive: form.archive === "true" },
		{ updatedBy: adminName(c), now: Date.now() },
	);
	return redirect(c, withNotice(workflowPath(key), "saved"));
});
