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

// One gate for the whole admin area, so no route can be added without it. The webhooks pages
// (/admin/webhooks, another module) keep their own guard.
adminRoutes.use("*", async (c, next) => {
	if (c.req.path === "/admin/webhooks" || c.req.path.startsWith("/admin/webhooks/")) return next();
	return adminOnly(c, next);
});
adminRoutes.route("/", overviewRoutes);
adminRoutes.route("/", importRoutes);
adminRoutes.route("/", editorRoutes);
adminRoutes.route("/", workflowRoutes);
adminRoutes.route("/", peopleRoutes);
adminRoutes.route("/", incidentRoutes);
