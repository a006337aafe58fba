// GET /workflows: the published workflows, those the user may start first (canStartWorkflow), each
// with the scheduled starts of its latest version (Q1–Q2).
import { Hono } from "hono";
import { WorkflowsPage } from "../../../templates/workflows.tsx";
import { canStartWorkflow } from "../../auth/permissions.ts";
import { roleNames } from "../../db/people.ts";
import { recentSlots, type ScheduleRef, scheduleRefKey } from "../../db/schedules.ts";
import { findPublishedVersion, listWorkflows } from "../../db/workflows.ts";
import type { AppEnv } from "../context.ts";
import { requireUser } from "../middleware/authorize.ts";
import { chromeOf } from "../view-models/page-context.ts";
import {
	RECENT_SLOTS,
	type ScheduledWorkflowCardView,
	scheduleViews,
} from "../view-models/schedules.ts";

export const workflowPageRoutes = new Hono<AppEnv>();

workflowPageRoutes.get("/workflows", async (c) => {
	const user = requireUser(c);
	const [summaries, roles] = await Promise.all([listWorkflows(c.env.DB), roleNames(c.env.DB)]);
	const published = summaries.filter((w) => w.latestVersion !== null);
	const definitions = await Promise.all(
		published.map((w) => findPublishedVersion(c.env.DB, w.key)),
	);
	const scheduleRefs: ScheduleRef[] = definitions.flatMap((def) => {
		const version = def?.version;
		if (!def || version === undefined) return [];
		return (def.schedules ?? []).map((_, scheduleIndex) => ({
			workflowKey: def.key,
			version,
			scheduleIndex,
		}));
	});
	const recent = await recentSlots(c.env.DB, scheduleRefs, RECENT_SLOTS);
	const now = Date.now();
	const cards: ScheduledWorkflowCardView[] = [];
	published.forEach((w, i) => {
		const def = definitions[i];
		if (!def) return;
		const version = def.version ?? w.latestVersion ?? 0;
		const recentOf = (scheduleIndex: number) =>
			recent.get(scheduleRefKey({ workflowKey: w.key, version, scheduleIndex })) ?? [];
		const card: ScheduledWorkflowCardView = {
			key: w.key,
			name: w.name,
			version,
			stepCount: def.nodes.length,
			roles: [...new Set(def.nodes.map((n) => n.role).filter((r): r is string => !!r))].map(
				(r) => roles.get(r) ?? def.roles?.find((x) => x.key === r)?.name ?? r,
			),
			canStart: canStartWorkflow(user, w.key),
			startHref: `/workflows/${encodeURIComponent(w.key)}/start`,
			schedules: scheduleViews(def, recentOf, now),
		};
		if (w.description) card.description = w.description;
		cards.push(card);
	});
	return c.html(<WorkflowsPage chrome={chromeOf(c)} workflows={cards} />);
});
