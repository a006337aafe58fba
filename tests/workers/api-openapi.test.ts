// The OpenAPI document: valid JSON listing every API route, every $ref resolving, and every
// operation answering as documented (this test walks the document and calls each one); the page
// at /api/docs renders it.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { saveAttachment } from "../../src/attachments/store.ts";
import { createApiToken } from "../../src/auth/credential-store.ts";
import { createBulkOperation } from "../../src/db/bulk-operations.ts";
import { grantPermission } from "../../src/db/people.ts";
import { createDraftWorkflow } from "../../src/db/workflows.ts";
import { app } from "../../src/http/app.ts";
import { schemasById } from "../../src/http/routes/api/schemas.ts";
import { type ApiUser, apiUser, json } from "./api-fixtures.ts";
import { makeUser, mintSession, send } from "./auth-fixtures.ts";
import { publish, waitFor, workflow } from "./process-fixtures.ts";
import { deliver, OTHER_SECRET, unique } from "./webhooks-fixtures.ts";

type Doc = {
	openapi: string;
	paths: Record<string, Record<string, Operation>>;
	components: { schemas: Record<string, unknown> };
};
type Operation = {
	operationId: string;
	requestBody?: unknown;
	responses: Record<string, { content?: { "application/json": { schema: { $ref?: string } } } }>;
};

const WORKFLOW = "documented";
const definition = workflow(
	WORKFLOW,
	[
		{
			key: "fill",
			task: "ask",
			role: "writers",
			start: true,
			params: { questions: { text: { label: "Text", required: true } } },
		},
		{ key: "end", task: "dummy", end: true },
	],
	[{ from: "fill", to: "end" }],
	{ roles: [{ key: "writers", name: "Writers" }], startForm: { note: { label: "Note" } } },
);

/** K1: a workflow whose one task is of its own external type, for the external-task operations. */
const EXTERNAL = "documented-external";
const RENDER = "doc-render";
const external = workflow(EXTERNAL, [{ key: "render", task: RENDER, start: true, end: true }], [], {
	externalTasks: { [RENDER]: { title: "Render" } },
});

let admin: ApiUser;
let doc: Doc;

beforeAll(async () => {
	await publish(definition);
	await publish(external);
	admin = await apiUser({ isAdmin: true, roles: ["writers"] });
	await grantPermission(env.DB, {
		subjectKind: "user",
		subjectId: admin.id,
		permission: "workflow.start",
		scope: "*",
		now: Date.now(),
	});
	doc = (await json<Doc>(admin, "/api/v1/openapi.json")).body;
});

function refs(value: unknown, out: string[] = []): string[] {
	if (Array.isArray(value)) for (const v of value) refs(v, out);
	else if (value && typeof value === "object") {
		for (const [k, v] of Object.entries(value)) {
			if (k === "$ref" && typeof v === "string") out.push(v);
			else refs(v, out);
		}
	}
	return out;
}

describe("the OpenAPI document", () => {
	it("is OpenAPI 3.1 JSON whose every $ref resolves and whose operation ids are unique", async () => {
		const res = await send("/api/v1/openapi.json", {
			headers: { Authorization: `Bearer ${admin.token}` },
		});
		expect(res.headers.get("content-type")).toContain("application/json");
		expect(doc.openapi).toBe("3.1.0");
		for (const ref of refs(doc)) {
			expect(ref.startsWith("#/components/schemas/"), ref).toBe(true);
			expect(doc.components.schemas[ref.slice("#/components/schemas/".length)], ref).toBeDefined();
		}
		const ids = Object.values(doc.paths).flatMap((m) => Object.values(m).map((o) => o.operationId));
		expect(new Set(ids).size).toBe(ids.length);
	});

	it("lists every route the API serves", () => {
		const served = app.routes
			.filter(
				(r) =>
					r.path.startsWith("/api/v1/") && r.method !== "ALL" && !r.path.endsWith("openapi.json"),
			)
			.map(
				(r) =>
					`${r.method.toLowerCase()} ${r.path.replace(/:id\{[^/]*\/[^}]*\}|:(\w+)(\{[^}]*\})?/g, "{}")}`,
			);
		const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
			Object.keys(methods).map((m) => `${m} ${path.replace(/\{\w+\}/g, "{}")}`),
		);
		for (const route of new Set(served)) expect(documented, route).toContain(route);
		expect(documented).toContain("post /hooks/{}");
	});
});

describe("every documented operation", () => {
	it("answers with a documented status and a body that fits the documented schema", async () => {
		// A scenario with one of everything the operations name.
		const started = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: WORKFLOW },
		});
		const processId = started.body.processId;
		const task = await waitFor(processId, (v) => v.state.tasks[0]?.assignee !== undefined);
		const taskId = task.state.tasks[0]?.id as string;
		await waitForIndexedTask(taskId);
		const other = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: WORKFLOW },
		});
		await createDraftWorkflow(env.DB, { ...definition, key: "drafted-doc" }, { now: Date.now() });
		const trigger = await json<{ trigger: { key: string } }>(admin, "/api/v1/webhooks", {
			body: { key: unique("doc"), name: "Doc", kind: "start", workflowKey: WORKFLOW, mapping: {} },
		});
		const doomed = await json<{ trigger: { key: string } }>(admin, "/api/v1/webhooks", {
			body: {
				key: unique("doomed"),
				name: "Doomed",
				kind: "start",
				workflowKey: WORKFLOW,
				mapping: {},
			},
		});
		const triggerKey = trigger.body.trigger.key;
		// Refused (signed with a secret the trigger lacks), then replayable once that secret is added.
		await deliver(triggerKey, { refused: true }, { secret: OTHER_SECRET });
		await json(admin, `/api/v1/webhooks/${triggerKey}/secrets`, { body: { secret: OTHER_SECRET } });
		const log = await json<{ items: { id: string }[] }>(
			admin,
			`/api/v1/webhooks/${triggerKey}/deliveries`,
		);
		const deliveryId = log.body.items[0]?.id as string;
		// An external task, locked by a worker whose token serves its type.
		await json(admin, "/api/v1/processes", { body: { workflowKey: EXTERNAL } });
		const worker = await externalWorker([RENDER]);
		const lock = { workerId: "doc-worker", types: [RENDER] };
		const locked = await json<{ tasks: { id: string }[] }>(worker, "/api/v1/fetch-and-lock", {
			body: { ...lock, waitMs: 5_000 },
		});
		const externalTaskId = encodeURIComponent(locked.body.tasks[0]?.id ?? "");
		const report = (what: string, body: Record<string, unknown>) => () =>
			call(worker, "post", `/api/v1/external-tasks/${externalTaskId}/${what}`, {
				workerId: "doc-worker",
				attempt: 1,
				...body,
			});

		// A bulk operation that selected nothing (done at once), and one left running to cancel.
		const bulk = await json<{ id: string }>(admin, "/api/v1/bulk-operations", {
			body: { action: "stop", filter: { workflow: "no-such-workflow" } },
		});
		const running = crypto.randomUUID();
		await createBulkOperation(env.DB, {
			id: running,
			action: "stop",
			filter: {},
			options: {},
			createdBy: admin.id,
			createdAt: Date.now(),
			processIds: [`p-${"0".repeat(32)}`],
		});
		// Working together: a task of its own to hand on, a colleague, a comment to edit, a file.
		const talked = await json<{ processId: string }>(admin, "/api/v1/processes", {
			body: { workflowKey: WORKFLOW },
		});
		const talkedId = talked.body.processId;
		const talkedView = await waitFor(talkedId, (v) => v.state.tasks[0]?.assignee !== undefined);
		const talkedTask = talkedView.state.tasks[0]?.id as string;
		const colleague = await apiUser({ roles: ["writers"] });
		const file = await saveAttachment(env, {
			processId: talkedId,
			taskId: null,
			commentId: null,
			field: null,
			name: "notes.txt",
			contentType: "text/plain",
			bytes: new TextEncoder().encode("notes").buffer as ArrayBuffer,
			uploadedBy: admin.id,
			now: Date.now(),
		});
		const talkedPath = `/api/v1/tasks/${encodeURIComponent(talkedTask)}`;

		const examples: Record<
			string,
			{ params?: Record<string, string>; body?: unknown; send?: () => Promise<Response> }
		> = {
			listWorkflows: {},
			getWorkflow: { params: { workflowKey: WORKFLOW } },
			validateWorkflow: { body: definition },
			importWorkflow: { body: { ...definition, key: "imported-doc" } },
			publishWorkflowDraft: { params: { workflowKey: "drafted-doc" }, body: {} },
			startProcess: { body: { workflowKey: WORKFLOW } },
			listProcesses: {},
			getProcess: { params: { processId } },
			stopProcess: { params: { processId: other.body.processId } },
			suspendProcess: { params: { processId }, body: { reason: "documented" } },
			resumeProcess: { params: { processId } },
			correctProcessValues: { params: { processId }, body: { values: { note: "corrected" } } },
			migrateProcesses: {
				params: { workflowKey: WORKFLOW },
				body: { toVersion: 1, processIds: [processId], dryRun: true },
			},
			listAudit: {},
			startBulkOperation: { body: { action: "suspend", filter: { workflow: WORKFLOW } } },
			getBulkOperation: { params: { operationId: bulk.body.id } },
			cancelBulkOperation: { params: { operationId: running } },
			listTasks: {},
			getTask: { params: { taskId } },
			claimTask: { params: { taskId } },
			submitValues: { params: { taskId }, body: { values: { text: "Hello" } } },
			publishMessage: { body: { name: "documented", correlationKey: "k-1", payload: { a: 1 } } },
			listTriggers: {},
			createTrigger: {
				body: {
					key: unique("new"),
					name: "New",
					kind: "start",
					workflowKey: WORKFLOW,
					mapping: {},
				},
			},
			getTrigger: { params: { triggerKey } },
			updateTrigger: { params: { triggerKey }, body: { name: "Renamed" } },
			deleteTrigger: { params: { triggerKey: doomed.body.trigger.key } },
			rotateSecret: { params: { triggerKey }, body: {} },
			listDeliveries: { params: { triggerKey } },
			getDelivery: { params: { deliveryId } },
			replayDelivery: { params: { deliveryId } },
			deliverWebhook: { send: () => deliver(triggerKey, { ok: true }, { secret: OTHER_SECRET }) },
			fetchAndLockExternalTasks: {
				send: () => call(worker, "post", "/api/v1/fetch-and-lock", lock),
			},
			completeExternalTask: { send: report("complete", { result: { pages: 3 } }) },
			// The attempt is over: the later reports are acknowledged as stale (T8), still 200.
			failExternalTask: { send: report("fail", { error: { message: "late" }, retryable: false }) },
			extendExternalTaskLock: { send: report("extend-lock", { lockMs: 60_000 }) },
			reportExternalTaskProgress: { send: report("progress", { progress: 50 }) },
			unclaimTask: {
				send: async () => {
					await call(admin, "post", `${talkedPath}/claim`, undefined);
					return call(admin, "post", `${talkedPath}/unclaim`, undefined);
				},
			},
			delegateTask: { params: { taskId: talkedTask }, body: { to: colleague.id } },
			reassignTask: { params: { taskId: talkedTask }, body: { to: null } },
			listTaskComments: { params: { taskId: talkedTask } },
			commentOnTask: { params: { taskId: talkedTask }, body: { body: "Documented" } },
			listProcessComments: { params: { processId: talkedId } },
			commentOnProcess: { params: { processId: talkedId }, body: { body: "Documented too" } },
			editComment: {
				send: async () => {
					const posted = await call(admin, "post", `/api/v1/processes/${talkedId}/comments`, {
						body: "Frist",
					});
					const { id } = (await posted.json()) as { id: string };
					return call(admin, "patch", `/api/v1/comments/${id}`, { body: "First" });
				},
			},
			listProcessFiles: { params: { processId: talkedId } },
			downloadFile: { params: { fileId: file.id } },
		};

		for (const [path, methods] of Object.entries(doc.paths)) {
			for (const [method, op] of Object.entries(methods)) {
				const example = examples[op.operationId];
				expect(example, `an example for ${op.operationId}`).toBeDefined();
				if (!example) continue;
				const url = path.replace(
					/\{(\w+)\}/g,
					(_, name: string) => example.params?.[name] ?? "missing",
				);
				const res = example.send
					? await example.send()
					: await call(admin, method, url, example.body ?? (op.requestBody ? {} : undefined));
				const status = String(res.status);
				const documented = op.responses[status] ?? op.responses[`${status[0]}XX`];
				const text = await res.text();
				expect(documented, `${op.operationId} answered ${status}: ${text}`).toBeDefined();
				expect(res.status, `${op.operationId}: ${text}`).toBeLessThan(300);
				const ref = documented?.content?.["application/json"].schema.$ref;
				if (ref) {
					const schema = schemasById.get(ref.slice("#/components/schemas/".length));
					const parsed = schema?.safeParse(JSON.parse(text));
					expect(
						parsed?.success,
						`${op.operationId}: ${JSON.stringify(parsed?.error?.issues)}`,
					).toBe(true);
				}
			}
		}
	});
});

describe("the API docs page", () => {
	it("renders every operation and schema server-side, without scripts of its own", async () => {
		const user = await makeUser();
		const session = await mintSession(user);
		const res = await send("/api/docs", { headers: { Cookie: session.cookie } });
		expect(res.status).toBe(200);
		const html = await res.text();
		for (const methods of Object.values(doc.paths)) {
			for (const op of Object.values(methods)) expect(html).toContain(`id="${op.operationId}"`);
		}
		expect(html).toContain('id="schema-Process"');
		expect(html).toContain("POST /api/v1/processes");
		const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
		expect(main).not.toContain("<script");
	});
});

/** An admin's token with the external-tasks scope, serving `types`. */
async function externalWorker(types: string[]): Promise<ApiUser> {
	const user = await makeUser({ isAdmin: true });
	const { token } = await createApiToken(env.DB, {
		userId: user.id,
		name: "doc worker",
		scopes: ["external-tasks"],
		externalTaskTypes: types,
		expiresAt: null,
		now: Date.now(),
	});
	return { id: user.id, token };
}

async function waitForIndexedTask(taskId: string) {
	for (let i = 0; i < 300; i++) {
		const row = await env.DB.prepare("SELECT assignee FROM tasks WHERE id = ?1")
			.bind(taskId)
			.first<{ assignee: string | null }>();
		if (row?.assignee) return;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`task ${taskId} was never indexed with its assignee`);
}

function call(who: ApiUser, method: string, path: string, body: unknown): Promise<Response> {
	return send(path, {
		method: method.toUpperCase(),
		headers: {
			Authorization: `Bearer ${who.token}`,
			...(body === undefined ? {} : { "Content-Type": "application/json" }),
		},
		...(body === undefined ? {} : { body: JSON.stringify(body) }),
	});
}
