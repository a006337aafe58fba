// /api/v1/workflows: list, get a published version (its definition is importable as it is),
// validate (every problem at once, D2), import a definition as a new published version, and
// publish the stored draft. Reading is for everyone signed in; changing is for admins.
import { Hono } from "hono";
import { canManage, canStartWorkflow } from "../../../auth/permissions.ts";
import {
	findPublishedVersion,
	findWorkflow,
	listVersions,
	listWorkflows,
	publishDraft,
	publishWorkflow,
} from "../../../db/workflows.ts";
import { compileWorkflow } from "../../../engine/index.ts";
import { taskCatalog } from "../../../tasks/registry.ts";
import type { AppEnv } from "../../context.ts";
import { AppError } from "../../errors.tsx";
import { requireUser } from "../../middleware/authorize.ts";
import { readJson, readOptionalBody, readQuery } from "./http.ts";
import { defineOperations, notAdmin, ok, responses } from "./operation.ts";
import {
	publishDraftSchema,
	publishedSchema,
	validationSchema,
	workflowDefinition,
	workflowListSchema,
	workflowQuery,
	workflowSchema,
} from "./schemas.ts";

const keyParam = { workflowKey: "The workflow's key" };
const invalidDefinition = "invalid_definition, details: every problem";

export const workflowOperations = defineOperations("Workflows", [
	{
		method: "get",
		path: "/api/v1/workflows",
		operationId: "listWorkflows",
		summary: "List the workflows",
		scope: "read",
		responses: responses({ 200: ok("Every workflow", workflowListSchema) }),
	},
	{
		method: "get",
		path: "/api/v1/workflows/{workflowKey}",
		operationId: "getWorkflow",
		summary: "Get a published version (export)",
		scope: "read",
		pathParams: keyParam,
		query: workflowQuery,
		responses: responses({
			200: ok("The version and its definition", workflowSchema),
			404: "No published version",
		}),
	},
	{
		method: "post",
		path: "/api/v1/workflows/validate",
		operationId: "validateWorkflow",
		summary: "Validate a definition: every problem at once, with where it is",
		scope: "read",
		body: workflowDefinition,
		responses: responses({ 200: ok("The report", validationSchema) }),
	},
	{
		method: "post",
		path: "/api/v1/workflows",
		operationId: "importWorkflow",
		summary: "Import a definition and publish it as the next version",
		scope: "admin",
		body: workflowDefinition,
		responses: responses({
			201: ok("Published", publishedSchema),
			403: notAdmin,
			409: "Another publication took the version",
			422: invalidDefinition,
		}),
	},
	{
		method: "post",
		path: "/api/v1/drafts/{workflowKey}/publish",
		operationId: "publishWorkflowDraft",
		summary: "Publish the workflow's saved draft as the next version",
		scope: "admin",
		pathParams: keyParam,
		body: publishDraftSchema,
		responses: responses({
			201: ok("Published", publishedSchema),
			403: notAdmin,
			404: "No such workflow, or no draft",
			409: "The draft changed since that revision",
			422: invalidDefinition,
		}),
	},
]);

function requireManager(c: Parameters<typeof requireUser>[0]) {
	const user = requireUser(c);
	if (!canManage(user)) throw new AppError("forbidden", "Only administrators may do this.");
	return user;
}

export const workflowsApi = new Hono<AppEnv>()
	.get("/workflows", async (c) => {
		const user = requireUser(c);
		const items = (await listWorkflows(c.env.DB)).map((w) => ({
			...w,
			canStart: w.latestVersion !== null && canStartWorkflow(user, w.key),
		}));
		return c.json({ items });
	})
	.post("/workflows/validate", async (c) => {
		const result = compileWorkflow(await readJson(c), taskCatalog);
		return c.json({
			valid: result.ok,
			problems: result.ok ? [] : result.problems,
			warnings: result.warnings,
		});
	})
	.post("/workflows", async (c) => {
		const user = requireManager(c);
		const published = await publishWorkflow(c.env.DB, await readJson(c), {
			publishedBy: user.id,
			now: Date.now(),
		});
		return c.json(published, 201);
	})
	.get("/workflows/:key", async (c) => {
		requireUser(c);
		const key = c.req.param("key");
		const { version } = readQuery(c, workflowQuery);
		const definition = await findPublishedVersion(c.env.DB, key, version);
		if (!definition?.version) throw new AppError("not_found", `No published workflow "${key}".`);
		const { version: v, ...rest } = definition;
		return c.json({
			key,
			name: definition.name,
			version: v,
			definition: rest,
			versions: await listVersions(c.env.DB, key),
		});
	})
	.post("/drafts/:key/publish", async (c) => {
		const user = requireManager(c);
		const key = c.req.param("key");
		const { revision } = await readOptionalBody(c, publishDraftSchema);
		const workflow = await findWorkflow(c.env.DB, key);
		if (!workflow) throw new AppError("not_found", `No workflow "${key}".`);
		if (!workflow.draft) throw new AppError("not_found", `Workflow "${key}" has no draft.`);
		const published = await publishDraft(c.env.DB, key, {
			revision: revision ?? workflow.draft.revision,
			publishedBy: user.id,
			now: Date.now(),
		});
		return c.json(published, 201);
	});
