// Workflows for admins: the list (latest version, draft, processes running), a new workflow, one
// workflow's versions with their processes, a version's graph and files, what changed between two
// versions (or a version and the draft), and a new draft from any version (D3: versions never change).
import { Hono } from "hono";
import { DiffPage } from "../../../../templates/admin/diff.tsx";
import { VersionPage } from "../../../../templates/admin/version.tsx";
import { type VersionRow, WorkflowPage } from "../../../../templates/admin/workflow.tsx";
import { WorkflowsPage } from "../../../../templates/admin/workflows.tsx";
import { KEY_PATTERN, readSettingsForm } from "../../../admin/draft-forms.ts";
import { diffDefinitions } from "../../../admin/version-diff.ts";
import { exportBpmn } from "../../../bpmn/export.ts";
import { listRoles, listUsers } from "../../../db/people.ts";
import { processCountsByVersion, runningByVersion } from "../../../db/process-index.ts";
import { defaultRetentionDays, removedCount, workflowRetentionOf } from "../../../db/retention.ts";
import {
	createDraftWorkflow,
	findPublishedVersion,
	findWorkflow,
	listVersions,
	listWorkflowsAndDrafts,
	startDraftFromVersion,
} from "../../../db/workflows.ts";
import { diagramFor } from "../../../diagram/cache.ts";
import {
	EngineError,
	FINISHED_PROCESS_STATUSES,
	RUNNING_PROCESS_STATUSES,
	type WorkflowDefinition,
} from "../../../engine/index.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { chromeOf, redirect, withNotice } from "../../view-models/page-context.ts";
import { type AdminContext, adminName, noticeText, posted } from "./guard.ts";
import { grantsOfWorkflow } from "./people.tsx";
import { downloadBpmn, downloadJson, workflowPath } from "./workflow-files.ts";

export const workflowRoutes = new Hono<AppEnv>();

async function listView(c: Parameters<typeof chromeOf>[0]) {
	const [all, running] = await Promise.all([
		listWorkflowsAndDrafts(c.env.DB),
		runningByVersion(c.env.DB),
	]);
	return all.map((w) => ({
		key: w.key,
		name: w.name,
		latestVersion: w.latestVersion,
		hasDraft: Boolean(w.hasDraft),
		running: running.filter((r) => r.workflowKey === w.key).reduce((n, r) => n + r.running, 0),
		updatedAt: w.updatedAt,
	}));
}

workflowRoutes.get("/workflows", async (c) =>
	c.html(
		<WorkflowsPage
			chrome={chromeOf(c)}
			workflows={await listView(c)}
			form={{ values: { key: "", name: "" }, errors: {} }}
			notice={noticeText(c)}
		/>,
	),
);

/** A new workflow: a key and a name make an empty draft, opened in the editor. */
workflowRoutes.post("/workflows", async (c) => {
	const form = await posted(c);
	const key = (form.key ?? "").trim();
	const errors: Record<string, string> = {};
	if (!KEY_PATTERN.test(key)) {
		errors.key =
			key === ""
				? "Give the workflow a key."
				: "A key is a letter, then letters, digits, _ . - (64 at most).";
	}
	const settings = readSettingsForm({ name: form.name ?? "" });
	if (!settings.ok && settings.errors.name) errors.name = settings.errors.name;
	if (Object.keys(errors).length === 0 && (await findWorkflow(c.env.DB, key))) {
		errors.key = `There is already a workflow "${key}".`;
	}
	if (Object.keys(errors).length > 0 || !settings.ok) {
		return c.html(
			<WorkflowsPage
				chrome={chromeOf(c)}
				workflows={await listView(c)}
				form={{ values: { key, name: form.name ?? "" }, errors }}
			/>,
			422,
		);
	}
	const definition: WorkflowDefinition = {
		key,
		name: settings.value.name,
		nodes: [],
		transitions: [],
	};
	try {
		await createDraftWorkflow(c.env.DB, definition, { savedBy: adminName(c), now: Date.now() });
	} catch (e) {
		if (e instanceof EngineError && e.code === "conflict") {
			return c.html(
				<WorkflowsPage
					chrome={chromeOf(c)}
					workflows={await listView(c)}
					form={{ values: { key, name: form.name ?? "" }, errors: { key: e.message } }}
				/>,
				422,
			);
		}
		throw e;
	}
	return redirect(c, withNotice(`${workflowPath(key)}/draft`, "created"));
});

workflowRoutes.get("/workflows/:key", async (c) => {
	const key = c.req.param("key");
	const row = await findWorkflow(c.env.DB, key);
	if (!row) throw new AppError("not_found", "There is no such workflow.");
	const [versions, counts] = await Promise.all([
		listVersions(c.env.DB, key),
		processCountsByVersion(c.env.DB, key),
	]);
	const rows: VersionRow[] = versions.map((v) => {
		const of = counts.filter((n) => n.version === v.version);
		const sum = (statuses: readonly string[]) =>
			of.filter((n) => statuses.includes(n.status)).reduce((s, n) => s + n.n, 0);
		return {
			version: v.version,
			publishedAt: v.publishedAt,
			publishedBy: v.publishedBy,
			running: sum(RUNNING_PROCESS_STATUSES),
			finished: sum(FINISHED_PROCESS_STATUSES),
		};
	});
	const [latest, grants, roles, users, retention, removed] = await Promise.all([
		row.latestVersion === null ? undefined : findPublishedVersion(c.env.DB, key),
		grantsOfWorkflow(c.env.DB, key),
		listRoles(c.env.DB),
		listUsers(c.env.DB),
		workflowRetentionOf(c.env.DB, key),
		removedCount(c.env.DB, key),
	]);
	return c.html(
		<WorkflowPage
			chrome={chromeOf(c)}
			workflow={{
				key,
				name: row.name,
				description: row.description,
				latestVersion: row.latestVersion,
				draft: row.draft
					? {
							revision: row.draft.revision,
							basedOn: row.draft.basedOn,
							savedAt: row.draft.savedAt,
							savedBy: row.draft.savedBy,
						}
					: null,
			}}
			versions={rows}
			diagram={latest ? diagramFor(latest) : null}
			retention={{
				workflowKey: key,
				...retention,
				defaultDays: defaultRetentionDays(c.env),
				removed,
			}}
			grants={grants}
			subjects={[
				...roles.map((r) => ({ value: `role:${r.key}`, label: `Role: ${r.name}` })),
				...users
					.filter((u) => u.active)
					.map((u) => ({ value: `user:${u.id}`, label: `User: ${u.displayName}` })),
			]}
			notice={noticeText(c)}
		/>,
	);
});

async function versionOf(c: AdminContext, key: string, raw: string): Promise<WorkflowDefinition> {
	const version = Number(raw);
	const def =
		Number.isInteger(version) && version > 0
			? await findPublishedVersion(c.env.DB, key, version)
			: undefined;
	if (!def || def.version !== version) throw new AppError("not_found", "There is no such version.");
	return def;
}

workflowRoutes.get("/workflows/:key/versions/:version", async (c) => {
	const key = c.req.param("key");
	const def = await versionOf(c, key, c.req.param("version"));
	const [row, versions] = await Promise.all([
		findWorkflow(c.env.DB, key),
		listVersions(c.env.DB, key),
	]);
	const meta = versions.find((v) => v.version === def.version);
	return c.html(
		<VersionPage
			chrome={chromeOf(c)}
			definition={def}
			version={def.version ?? 0}
			latestVersion={row?.latestVersion ?? null}
			publishedAt={meta?.publishedAt ?? null}
			publishedBy={meta?.publishedBy ?? null}
			draftRevision={row?.draft?.revision ?? null}
			diagram={diagramFor(def)}
		/>,
	);
});

workflowRoutes.get("/workflows/:key/versions/:version/export.json", async (c) => {
	const key = c.req.param("key");
	const def = await versionOf(c, key, c.req.param("version"));
	return downloadJson(c, def, `${key}-v${def.version}.json`);
});

workflowRoutes.get("/workflows/:key/versions/:version/export.bpmn", async (c) => {
	const key = c.req.param("key");
	const def = await versionOf(c, key, c.req.param("version"));
	return downloadBpmn(c, await exportBpmn(def), `${key}-v${def.version}.bpmn`);
});

/**
 * A new draft from this version (any of them, D3). When a draft exists, the form names its
 * revision: replacing it is a choice made on the page, never an accident of a stale one.
 */
workflowRoutes.post("/workflows/:key/versions/:version/edit", async (c) => {
	const key = c.req.param("key");
	const def = await versionOf(c, key, c.req.param("version"));
	const form = await posted(c);
	const replace = form.replace ? Number(form.replace) : undefined;
	try {
		await startDraftFromVersion(c.env.DB, key, def.version ?? 0, {
			savedBy: adminName(c),
			now: Date.now(),
			...(replace !== undefined && Number.isInteger(replace) ? { replaceRevision: replace } : {}),
		});
	} catch (e) {
		if (e instanceof EngineError && e.code === "conflict") {
			throw new AppError(
				"conflict",
				"This workflow already has a draft, changed since this page was shown. Open the workflow again and choose whether to replace it.",
			);
		}
		throw e;
	}
	return redirect(c, withNotice(`${workflowPath(key)}/draft`, "draft-started"));
});

/** What changed between two versions, or between a version and the draft (`to=draft`). */
workflowRoutes.get("/workflows/:key/diff", async (c) => {
	const key = c.req.param("key");
	const row = await findWorkflow(c.env.DB, key);
	if (!row) throw new AppError("not_found", "There is no such workflow.");
	const versions = await listVersions(c.env.DB, key);
	const latest = row.latestVersion ?? 0;
	const fromRaw = c.req.query("from") ?? String(Math.max(1, latest - 1));
	const toRaw = c.req.query("to") ?? (row.draft ? "draft" : String(latest));
	const side = async (raw: string): Promise<WorkflowDefinition> => {
		if (raw === "draft") {
			if (!row.draft) throw new AppError("not_found", "This workflow has no draft.");
			return row.draft.definition;
		}
		return versionOf(c, key, raw);
	};
	const [before, after] = await Promise.all([side(fromRaw), side(toRaw)]);
	return c.html(
		<DiffPage
			chrome={chromeOf(c)}
			workflow={{ key, name: row.name }}
			choices={[
				...versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` })),
				...(row.draft ? [{ value: "draft", label: "The draft" }] : []),
			]}
			from={fromRaw}
			to={toRaw}
			diff={diffDefinitions(before, after)}
		/>,
	);
});
