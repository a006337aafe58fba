// Retention (issue #16): the sweep removes exactly the finished processes older than their
// workflow's retention, archive first, then the object's storage, then the index rows behind a
// tombstone; a sweep that dies between steps is finished by the next; a removed process answers 410.
import { createScheduledController, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { listAttachments, processPrefix, saveAttachment } from "../../src/attachments/store.ts";
import { addComment, listComments } from "../../src/comments/store.ts";
import {
	expiredProcesses,
	type ProcessRow,
	processCountsByVersion,
	writeIndex,
} from "../../src/db/process-index.ts";
import {
	removedProcess,
	saveWorkflowRetention,
	workflowRetentionOf,
} from "../../src/db/retention.ts";
import { processStub } from "../../src/durable/process-client.ts";
import worker from "../../src/index.ts";
import { archiveHistory, archiveKeyOf } from "../../src/retention/archive.ts";
import { sweepExpiredProcesses } from "../../src/retention/sweep.ts";
import { signedIn, textOf } from "./admin-fixtures.ts";
import { apiUser, json } from "./api-fixtures.ts";
import {
	expectIndexMatches,
	finished,
	publish,
	start,
	waitFor,
	workflow,
} from "./process-fixtures.ts";

const DAY = 86_400_000;

const quick = (key: string) =>
	workflow(
		key,
		[
			{ key: "work", task: "dummy", start: true },
			{ key: "done", task: "dummy", end: true },
		],
		[{ from: "work", to: "done" }],
	);

const waiting = (key: string) =>
	workflow(
		key,
		[
			{
				key: "claim",
				task: "ask",
				role: "clerks",
				start: true,
				params: { questions: { amount: { label: "Amount", type: "number", required: true } } },
			},
			{ key: "done", task: "dummy", end: true },
		],
		[{ from: "claim", to: "done" }],
		{ roles: [{ key: "clerks", name: "Clerks" }] },
	);

/** Starts a process of `key` and waits until it has finished and its index rows are written. */
async function finishedProcess(key: string): Promise<string> {
	const { processId } = await start(key);
	await waitFor(processId, finished);
	await expectIndexMatches(processId);
	return processId;
}

async function indexRows(processId: string): Promise<{ processes: number; tasks: number }> {
	const p = await env.DB.prepare("SELECT count(*) AS n FROM processes WHERE id = ?")
		.bind(processId)
		.first<{ n: number }>();
	const t = await env.DB.prepare("SELECT count(*) AS n FROM tasks WHERE process_id = ?")
		.bind(processId)
		.first<{ n: number }>();
	return { processes: p?.n ?? 0, tasks: t?.n ?? 0 };
}

/** The object's own tables and alarm, read inside it (workerd's internal `_cf_` tables aside). */
async function storageOf(processId: string): Promise<{ tables: string[]; alarm: number | null }> {
	return runInDurableObject(env.PROCESS.getByName(processId), async (_instance, state) => ({
		tables: state.storage.sql
			.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
			.toArray()
			.map((r) => r.name)
			.filter((name) => !name.startsWith("_cf") && name !== "sqlite_sequence"),
		alarm: await state.storage.getAlarm(),
	}));
}

async function archiveLines(key: string): Promise<Record<string, unknown>[]> {
	const object = await env.ARCHIVE.get(key);
	if (!object) throw new Error(`no archive ${key}`);
	return (await object.text())
		.trim()
		.split("\n")
		.map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
	await publish(quick("short"));
	await publish(waiting("short-waiting"));
	await publish(quick("long"));
	await publish(quick("unarchived"));
	await publish(quick("resumed"));
	await publish(quick("failing-archive"));
	await publish(quick("commented"));
	await publish(quick("commented-kept"));
	const by = { updatedBy: "test", now: Date.now() };
	for (const key of ["short", "short-waiting", "resumed", "failing-archive", "commented"]) {
		await saveWorkflowRetention(env.DB, key, { retentionDays: 1, archive: true }, by);
	}
	await saveWorkflowRetention(env.DB, "unarchived", { retentionDays: 1, archive: false }, by);
});

describe("the retention sweep", () => {
	it("removes exactly the finished processes older than their workflow's retention, archive first", async () => {
		const expired = [await finishedProcess("short"), await finishedProcess("short")];
		const unarchived = await finishedProcess("unarchived");
		const { processId: running } = await start("short-waiting");
		await waitFor(running, (v) => v.state.tasks.some((t) => t.awaitingInput));
		const young = await finishedProcess("long");

		// Two days on: past the one-day retentions, well inside the default 90 days.
		const report = await sweepExpiredProcesses(env, Date.now() + 2 * DAY);
		expect(report).toEqual({ removed: 3, skipped: 0 });

		for (const id of expired) {
			const lines = await archiveLines(archiveKeyOf("short", id));
			expect(lines[0]).toMatchObject({ kind: "process", id, status: "SUCCESS" });
			const events = lines.slice(1);
			expect(events[0]).toMatchObject({ kind: "event", seq: 1, type: "ProcessCreated" });
			expect(events.map((e) => e.type)).toContain("ProcessSucceeded");
			expect(await storageOf(id)).toEqual({ tables: [], alarm: null });
			expect(await indexRows(id)).toEqual({ processes: 0, tasks: 0 });
			expect(await removedProcess(env.DB, id)).toMatchObject({
				workflowKey: "short",
				reason: "finished more than 1 day ago (retention)",
				archiveKey: archiveKeyOf("short", id),
			});
		}
		expect(await env.ARCHIVE.head(archiveKeyOf("unarchived", unarchived))).toBeNull();
		expect(await removedProcess(env.DB, unarchived)).toMatchObject({ archiveKey: null });
		expect(await indexRows(unarchived)).toEqual({ processes: 0, tasks: 0 });

		for (const kept of [running, young]) {
			expect(await removedProcess(env.DB, kept)).toBeUndefined();
			expect((await indexRows(kept)).processes).toBe(1);
			expect(await processStub(env, kept).view()).not.toBeNull();
		}
		// The workflow's counts hold only what is left.
		expect(await processCountsByVersion(env.DB, "short")).toEqual([]);
		expect(await processCountsByVersion(env.DB, "long")).toEqual([
			{ version: 1, status: "SUCCESS", n: 1 },
		]);
	});

	it("removes a removed process's comments and files with it, and only its own", async () => {
		const [gone, kept] = [
			await finishedProcess("commented"),
			await finishedProcess("commented-kept"),
		];
		for (const processId of [gone, kept]) {
			const comment = await addComment(env.DB, {
				processId,
				taskId: null,
				authorId: "u-ada",
				body: "Filed the receipt.",
				mentions: [],
				now: Date.now(),
			});
			await saveAttachment(env, {
				processId,
				taskId: null,
				commentId: comment.id,
				field: null,
				name: "receipt.pdf",
				contentType: "application/pdf",
				bytes: new TextEncoder().encode("%PDF-1.4").buffer as ArrayBuffer,
				uploadedBy: "u-ada",
				now: Date.now(),
			});
		}
		const report = await sweepExpiredProcesses(env, Date.now() + 2 * DAY);
		expect(report.removed).toBeGreaterThanOrEqual(1);
		expect(await listComments(env.DB, gone)).toEqual([]);
		expect(await listAttachments(env.DB, gone)).toEqual([]);
		expect((await env.FILES.list({ prefix: processPrefix(gone) })).objects).toEqual([]);
		expect(await listComments(env.DB, kept)).toHaveLength(1);
		expect(await listAttachments(env.DB, kept)).toHaveLength(1);
		expect((await env.FILES.list({ prefix: processPrefix(kept) })).objects).toHaveLength(1);
	});

	it("deletes nothing when the archive cannot be written", async () => {
		const id = await finishedProcess("failing-archive");
		const broken = {
			head: async () => null,
			put: async () => {
				throw new Error("R2 is out of reach");
			},
		} as unknown as R2Bucket;
		const report = await sweepExpiredProcesses({ ...env, ARCHIVE: broken }, Date.now() + 2 * DAY);
		expect(report.removed).toBe(0);
		expect(report.skipped).toBeGreaterThanOrEqual(1);
		expect(await processStub(env, id).view()).toMatchObject({ state: { status: "SUCCESS" } });
		expect(await indexRows(id)).toMatchObject({ processes: 1 });
		expect(await removedProcess(env.DB, id)).toBeUndefined();
	});

	it("finishes a removal that stopped after the archive, or after the object was emptied", async () => {
		const afterArchive = await finishedProcess("resumed");
		const afterStorage = await finishedProcess("resumed");
		// What a sweep that died midway leaves behind: an archive, and for one an emptied object.
		for (const id of [afterArchive, afterStorage]) {
			await archiveHistory(env.ARCHIVE, archiveKeyOf("resumed", id), processStub(env, id));
		}
		const archived = await archiveLines(archiveKeyOf("resumed", afterStorage));
		expect(await processStub(env, afterStorage).removeStorage()).toEqual({
			ok: true,
			existed: true,
		});

		const report = await sweepExpiredProcesses(env, Date.now() + 2 * DAY);
		expect(report.skipped).toBe(0);
		for (const id of [afterArchive, afterStorage]) {
			expect(await indexRows(id)).toEqual({ processes: 0, tasks: 0 });
			expect(await removedProcess(env.DB, id)).toMatchObject({
				archiveKey: archiveKeyOf("resumed", id),
			});
			expect(await storageOf(id)).toMatchObject({ tables: [] });
		}
		// The archive written before the crash was kept, not replaced by the emptied object's nothing.
		expect(await archiveLines(archiveKeyOf("resumed", afterStorage))).toEqual(archived);
		// A second sweep finds nothing left to do.
		expect(await sweepExpiredProcesses(env, Date.now() + 2 * DAY)).toEqual({
			removed: 0,
			skipped: 0,
		});
	});

	it("leaves a failed process whose incident is still open", async () => {
		const ended = Date.now() - 400 * DAY;
		const row = (id: string, openIncidents: number): ProcessRow => ({
			id,
			name: null,
			workflowKey: "long",
			workflowVersion: 1,
			status: "FAILURE",
			priority: 2,
			progress: 0,
			stuck: false,
			openIncidents,
			activeTasks: 0,
			startedBy: null,
			parentProcessId: null,
			parentTaskId: null,
			createdAt: ended,
			startedAt: ended,
			endedAt: ended,
			revision: 1,
		});
		await writeIndex(env.DB, { process: row("p-incident-open", 1), tasks: [] });
		await writeIndex(env.DB, { process: row("p-incident-closed", 0), tasks: [] });
		const ids = (await expiredProcesses(env.DB, Date.now(), 90, 100)).map((p) => p.id);
		expect(ids).toContain("p-incident-closed");
		expect(ids).not.toContain("p-incident-open");
	});

	it("refuses to empty a process that has not finished", async () => {
		const { processId } = await start("short-waiting");
		await waitFor(processId, (v) => v.state.tasks.some((t) => t.awaitingInput));
		expect(await processStub(env, processId).removeStorage()).toMatchObject({
			ok: false,
			error: { code: "not_running" },
		});
		expect(await processStub(env, processId).view()).not.toBeNull();
	});
});

describe("a removed process", () => {
	it("answers 410 with when and why, on its page and in the API, and leaves the lists", async () => {
		const id = await finishedProcess("short");
		const taskId = (await processStub(env, id).view())?.state.tasks[0]?.id;
		// The Cron Trigger's tick runs the sweep, here two days on.
		const sweptAt = Date.now() + 2 * DAY;
		await worker.scheduled(
			createScheduledController({ scheduledTime: sweptAt, cron: "* * * * *" }),
			env,
		);
		expect(await removedProcess(env.DB, id)).toMatchObject({ removedAt: sweptAt });

		const admin = await signedIn();
		const page = await admin.get(`/processes/${id}`);
		expect(page.status).toBe(410);
		const html = await page.text();
		expect(html).toContain("was removed on");
		expect(html).toContain("finished more than 1 day ago (retention)");

		const task = await admin.get(`/tasks/${encodeURIComponent(taskId ?? "")}`);
		expect(task.status).toBe(410);
		expect(await task.text()).toContain("This task&#39;s process was removed on");

		const api = await apiUser({ isAdmin: true });
		const one = await json(api, `/api/v1/processes/${id}`);
		expect(one).toMatchObject({
			status: 410,
			body: {
				code: "gone",
				details: {
					processId: id,
					removedAt: sweptAt,
					reason: "finished more than 1 day ago (retention)",
				},
			},
		});
		const list = await json<{ items: { id: string }[] }>(api, "/api/v1/processes?workflow=short");
		expect(list.status).toBe(200);
		expect(list.body.items.map((p) => p.id)).not.toContain(id);

		// The workflow page counts the removed ones: two in the first test, and this one.
		const workflowPage = textOf(await (await admin.get("/admin/workflows/short")).text());
		expect(workflowPage).toContain("3 removed so far.");

		// Never removed: still the plain 404.
		const missing = await json(api, `/api/v1/processes/p-${"0".repeat(32)}`);
		expect(missing).toMatchObject({ status: 404, body: { code: "not_found" } });
	});
});

describe("a workflow's retention", () => {
	it("is set on the workflow's admin page, and the page counts what was removed", async () => {
		await publish(quick("settable"));
		const admin = await signedIn();
		const before = textOf(await (await admin.get("/admin/workflows/settable")).text());
		expect(before).toContain("Finished processes are removed 90 days after they end (the default)");

		const saved = await admin.post("/admin/workflows/settable/retention", { retentionDays: "30" });
		expect(saved.status).toBe(303);
		expect(await workflowRetentionOf(env.DB, "settable")).toEqual({
			retentionDays: 30,
			archive: false,
		});
		const refused = await admin.post("/admin/workflows/settable/retention", {
			retentionDays: "0",
			archive: "true",
		});
		expect(refused.status).toBe(422);
		expect((await workflowRetentionOf(env.DB, "settable")).retentionDays).toBe(30);

		await admin.post("/admin/workflows/settable/retention", { retentionDays: "", archive: "true" });
		const after = textOf(await (await admin.get("/admin/workflows/settable")).text());
		expect(after).toContain(
			"removed 90 days after they end (the default), their history archived first. 0 removed so far.",
		);
		const worker = await signedIn({ isAdmin: false });
		const denied = await worker.post("/admin/workflows/settable/retention", { retentionDays: "1" });
		expect(denied.status).toBe(404);
	});
});
