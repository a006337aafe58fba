// GET /workflows: the published workflows, those the user may start first (canStartWorkflow).
import { Hono } from "hono";
import { WorkflowsPage } from "../../../templates/workflows.tsx";
import { canStartWorkflow } from "../../auth/permissions.ts";
import { roleNames } from "../../db/people.ts";
import { findPublishedVersion, listWorkflows } from "../../db/workflows.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware/authorize.ts";
import { chromeOf } from "../view-models/page-context.ts";
import type { WorkflowCardView } from "../view-models/workflows.ts";

export const workflowPageRoutes = new Hono<AppEnv>();

workflowPageRoutes.get("/workflows", async (c) => {
	const user = requireUser(c);
	const [summaries, roles] = await Promise.all([listWorkflows(c.env.DB), roleNames(c.env.DB)]);
	const published = summaries.filter((w) => w.latestVersion !== null);
	const definitions = await Promise.all(
		published.map((w) => findPublishedVersion(c.env.DB, w.key)),
	);
	const cards: WorkflowCardView[] = [];
	published.forEach((w, i) => {
		const def = definitions[i];
		if (!def) return;
		const card: WorkflowCardView = {
			key: w.key,
			name: w.name,
			version: def.version ?? w.latestVersion ?? 0,
			stepCount: def.nodes.length,
			roles: [...new Set(def.nodes.map((n) => n.role).filter((r): r is string => !!r))].map(
				(r) => roles.get(r) ?? def.roles?.find((x) => x.key === r)?.name ?? r,
			),
			canStart: canStartWorkflow(user, w.key),
			startHref: `/workflows/${encodeURIComponent(w.key)}/start`,
		};
		if (w.description) card.description = w.description;
		cards.push(card);
	});
	return c.html(<WorkflowsPage chrome={chromeOf(c)} workflows={cards} />);
});
