// The admin pages under /admin: workflows (editor, versions, imports), people (users, roles,
// grants) and operations (incidents, the audit log). Every one answers 404 to anyone but an admin.
import { Hono } from "hono";
import type { AppEnv } from "../../context.ts";
import { adminWebhookRoutes } from "../admin-webhooks.tsx";
import { auditRoutes } from "./audit.tsx";
import { editorRoutes } from "./editor.tsx";
import { flowRoutes } from "./flow.tsx";
import { importRoutes } from "./imports.tsx";
import { incidentRoutes } from "./incidents.tsx";
import { migrationRoutes } from "./migrations.tsx";
import { outboxRoutes } from "./outbox.tsx";
import { overviewRoutes } from "./overview.tsx";
import { peopleRoutes } from "./people.tsx";
import { retentionRoutes } from "./retention.tsx";
import { workflowRoutes } from "./workflows.tsx";

export const adminRoutes = new Hono<AppEnv>();

// The admin door (src/http/doors.ts) is the one gate for the whole area: 404 for anyone but an
// admin, so no route can be added without it.
adminRoutes.route("/", overviewRoutes);
adminRoutes.route("/", importRoutes);
adminRoutes.route("/", editorRoutes);
adminRoutes.route("/", workflowRoutes);
adminRoutes.route("/", flowRoutes);
adminRoutes.route("/", retentionRoutes);
adminRoutes.route("/", migrationRoutes);
adminRoutes.route("/", peopleRoutes);
adminRoutes.route("/", incidentRoutes);
adminRoutes.route("/", adminWebhookRoutes);
adminRoutes.route("/", auditRoutes);
adminRoutes.route("/", outboxRoutes);
