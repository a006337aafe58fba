// The admin pages under /admin: workflows (editor, versions, imports), people (users, roles,
// grants) and operations (incidents). Every one answers 404 to anyone but an admin.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { editorRoutes } from "./editor.tsx";
import { adminOnly } from "./guard.ts";
import { importRoutes } from "./imports.tsx";
import { incidentRoutes } from "./incidents.tsx";
import { overviewRoutes } from "./overview.tsx";
import { peopleRoutes } from "./people.tsx";
import { workflowRoutes } from "./workflows.tsx";

export const adminRoutes = new Hono<AppEnv>();

// The gate is set per section rather than on "/admin/*", so the webhooks pages mounted under
// /admin/webhooks keep their own guard.
for (const path of [
	"/",
	"/workflows",
	"/workflows/*",
	"/import",
	"/users",
	"/users/*",
	"/roles",
	"/roles/*",
	"/incidents",
	"/incidents/*",
]) {
	adminRoutes.use(path, adminOnly);
}
adminRoutes.route("/", overviewRoutes);
adminRoutes.route("/", importRoutes);
adminRoutes.route("/", editorRoutes);
adminRoutes.route("/", workflowRoutes);
adminRoutes.route("/", peopleRoutes);
adminRoutes.route("/", incidentRoutes);
