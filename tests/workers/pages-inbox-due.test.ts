// The inbox's due dates (H1) over the real D1 index: each task's due and follow-up date in words,
// the overdue marker, the due filters (overdue, today, this week, follow-up reached), the order by
// due date with the undated last, and links and forms that keep the other filters. The rows are
// written as the outbox writes them, with dates placed around the current UTC day and week.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
	type DueFilter,
	dueRange,
	type ProcessRow,
	type TaskRow,
	writeIndex,
} from "../../src/db/process-index.ts";
import { signedIn } from "./auth-fixtures.ts";
import { expectIndexMatches, publish, start, waitFor, workflow } from "./process-fixtures.ts";

const HOUR = 3_600_000;
let counter = 0;

interface Dated {
	name: string;
	dueAt?: number;
	followUpAt?: number;
	priority?: number;
}

/** One process of `tasks`, each a PENDING form of `role`, indexed as the outbox would index it. */
async function indexTasks(role: string, tasks: Dated[], now: number): Promise<string> {
	counter += 1;
	const processId = `p-due-${counter}`;
	const process: ProcessRow = {
		id: processId,
		name: `Dated ${counter}`,
		workflowKey: `dated-${counter}`,
		workflowVersion: 1,
		status: "STARTED",
		priority: 5,
		progress: 0,
		stuck: false,
		openIncidents: 0,
		activeTasks: tasks.length,
		startedBy: null,
		parentProcessId: null,
		parentTaskId: null,
		createdAt: now - 10 * 24 * HOUR,
		startedAt: now - 10 * 24 * HOUR,
		endedAt: null,
		revision: 1,
	};
	const rows: TaskRow[] = tasks.map((t, i) => ({
		id: `${processId}/t${i + 1}`,
		processId,
		workflowKey: process.workflowKey,
		node: `n${i + 1}`,
		nodeName: t.name,
		taskType: "ask",
		status: "PENDING",
		role,
		assignee: null,
		priority: t.priority ?? 5,
		progress: 0,
		attempt: 1,
		awaitingInput: true,
		incident: null,
		correlationKey: null,
		dueAt: t.dueAt ?? null,
		followUpAt: t.followUpAt ?? null,
		// Oldest first, so the default order is the order of `tasks`.
		createdAt: now - 5 * 24 * HOUR + i,
		startedAt: null,
		endedAt: null,
		revision: 1,
	}));
	await writeIndex(env.DB, { process, tasks: rows });
	return processId;
}

/** The task names in the order the page shows them. */
function namesIn(html: string, names: string[]): string[] {
	return names
		.map((name) => ({ name, at: html.indexOf(`>${name}</a>`) }))
		.filter((x) => x.at >= 0)
		.sort((a, b) => a.at - b.at)
		.map((x) => x.name);
}

/** Tasks around the current UTC day and week: one of each kind the filters tell apart. */
async function datedInbox() {
	const role = `clerks-${++counter}`;
	const clerk = await signedIn({ roles: [role], name: "clerk" });
	const now = Date.now();
	const today = dueRange("today", now);
	const week = dueRange("week", now);
	const names = {
		lastWeek: "Overdue since last week",
		tonight: "Due at the end of today",
		nextWeek: "Due next week",
		followUp: "Look at it again",
		undated: "No date at all",
	};
	await indexTasks(
		role,
		[
			{ name: names.undated, priority: 1 },
			{ name: names.nextWeek, dueAt: week.before + 2 * HOUR },
			{ name: names.followUp, followUpAt: now - 3 * HOUR, priority: 3 },
			{ name: names.tonight, dueAt: today.before - 1 },
			{ name: names.lastWeek, dueAt: (week.from ?? now) - 2 * HOUR },
		],
		now,
	);
	const all = Object.values(names);
	const page = async (query: string) => {
		const res = await clerk.get(`/inbox${query}`);
		expect(res.status).toBe(200);
		return res.text();
	};
	return { role, clerk, names, all, page };
}

describe("GET /inbox with due dates", () => {
	it("words each due and follow-up date with the exact date beside it, and marks the overdue", async () => {
		const { names, page } = await datedInbox();
		const html = await page("");
		const card = (name: string) => {
			const start = html.lastIndexOf('<li class="task-card', html.indexOf(`>${name}</a>`));
			return html.slice(start, html.indexOf("</li>", start));
		};
		const overdue = card(names.lastWeek);
		expect(overdue).toMatch(/^<li class="task-card is-overdue"/);
		expect(overdue).toContain('<span aria-hidden="true">⚠ </span>Overdue</span>');
		expect(overdue).toMatch(
			/<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z" title="\d{4}-\d\d-\d\d \d\d:\d\d UTC" data-local="">overdue by \d+ (?:h|days?)<\/time>/,
		);
		const tonight = card(names.tonight);
		expect(tonight).not.toContain("is-overdue");
		// Run in the first half hour of a UTC day, the end of today is over 23.5 h away: "1 day".
		expect(tonight).toMatch(/>due in (?:\d+ (?:min|h)|1 day|less than a minute)<\/time>/);
		expect(card(names.followUp)).toMatch(/>follow-up reached 3 h ago<\/time>/);
		expect(card(names.undated)).not.toMatch(/due in|overdue|follow/);
		expect(html).toContain('<a href="/inbox?due=overdue">1 overdue</a>');
	});

	const cases: [DueFilter, (n: Awaited<ReturnType<typeof datedInbox>>["names"]) => string[]][] = [
		["overdue", (n) => [n.lastWeek]],
		["today", (n) => [n.tonight]],
		["week", (n) => [n.tonight]],
		["follow-up", (n) => [n.followUp]],
	];
	for (const [due, expected] of cases) {
		it(`filters ${due}`, async () => {
			const { names, all, page } = await datedInbox();
			const html = await page(`?due=${due}`);
			expect(namesIn(html, all)).toEqual(expected(names));
			expect(html).toMatch(new RegExp(`<option value="${due}" selected="">`));
			expect(html).toContain('<a href="/inbox">Clear filters</a>');
		});
	}

	it("sorts by due date, soonest first and the undated last (by priority, then age)", async () => {
		const { names, all, page } = await datedInbox();
		expect(namesIn(await page(""), all)).toEqual([
			names.undated,
			names.followUp,
			names.nextWeek,
			names.tonight,
			names.lastWeek,
		]);
		const html = await page("?sort=due");
		expect(namesIn(html, all)).toEqual([
			names.lastWeek,
			names.tonight,
			names.nextWeek,
			names.undated,
			names.followUp,
		]);
		expect(html).toMatch(/<option value="due" selected="">Due date, soonest first<\/option>/);
		// An order is no filter: nothing to clear.
		expect(html).not.toContain("Clear filters");
	});

	it("keeps the other filters: in the form, in the overdue link, and combined in the query", async () => {
		const { role, names, all, page } = await datedInbox();
		const html = await page(`?role=${role}&sort=due&q=due`);
		expect(html).toContain(`<a href="/inbox?q=due&amp;role=${role}&amp;due=overdue&amp;sort=due">`);
		expect(html).toMatch(new RegExp(`<option value="${role}" selected="">`));
		expect(html).toContain('<input id="inbox-q" name="q" type="search" value="due"');
		expect(namesIn(html, all)).toEqual([names.lastWeek, names.tonight, names.nextWeek]);

		const both = await page(`?role=${role}&due=overdue&q=week`);
		expect(namesIn(both, all)).toEqual([names.lastWeek]);
		// Only the overdue are shown: the count is said, not offered as a link again.
		expect(both).toContain("1 overdue.");
		expect(both).not.toContain("due=overdue&amp;");
	});

	it("drops unknown filter values and answers the htmx fragment with the same words", async () => {
		const { names, all, clerk } = await datedInbox();
		const res = await clerk.get("/inbox?due=someday&sort=sideways", { "HX-Request": "true" });
		const fragment = await res.text();
		expect(fragment).not.toContain("<html");
		expect(namesIn(fragment, all)).toHaveLength(all.length);
		expect(fragment).toContain(">Overdue</span>");
		expect(fragment).toContain(names.lastWeek);
	});
});

describe("a process whose task is due (H1) with a reminder on it (B1)", () => {
	it("indexes the due date, shows the task overdue in the inbox and on its pages, and the reminder counting down", async () => {
		const role = `approvers-${++counter}`;
		const boss = await signedIn({ roles: [role], name: "boss" });
		const key = `due-approval-${counter}`;
		await publish(
			workflow(
				key,
				[
					{
						key: "approve",
						name: "Approve the order",
						role,
						task: "ask",
						start: true,
						due: "1s",
						followUp: "P1D",
						params: { questions: { answer: { label: "Answer", required: true } } },
					},
					{
						key: "reminder",
						name: "Reminder",
						task: "wait",
						attachedTo: "approve",
						interrupting: false,
						params: { duration: "P2D" },
					},
					{ key: "nudge", task: "dummy", end: true, inline: true },
					{ key: "done", task: "dummy", end: true, inline: true },
				],
				[
					{ from: "approve", to: "done" },
					{ from: "reminder", to: "nudge" },
				],
			),
		);
		const { processId } = await start(key);
		const v = await waitFor(processId, (x) =>
			x.state.tasks.some((t) => t.node === "approve" && t.assignee && t.awaitingInput),
		);
		const approve = v.state.tasks.find((t) => t.node === "approve");
		const dueAt = approve?.dueAt;
		if (!approve || !dueAt || !approve.followUpAt) throw new Error("no due or follow-up date");
		await expectIndexMatches(processId);
		const row = await env.DB.prepare("SELECT due_at, follow_up_at FROM tasks WHERE id = ?")
			.bind(approve.id)
			.first<{ due_at: number; follow_up_at: number }>();
		expect(row).toEqual({ due_at: dueAt, follow_up_at: approve.followUpAt });
		await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now() + 50)));

		const inbox = await (await boss.get("/inbox?due=overdue")).text();
		expect(inbox).toContain(">Approve the order</a>");
		expect(inbox).toMatch(/class="task-card is-overdue"/);
		expect(inbox).toMatch(/>overdue by less than a minute<\/time>/);
		expect(inbox).toMatch(/>follow up in 1 day<\/time>/);

		const taskPage = await (await boss.get(`/tasks/${encodeURIComponent(approve.id)}`)).text();
		expect(taskPage).toMatch(
			/<dt>Due<\/dt><dd class="text-danger"><time datetime="[^"]+" title="[^"]+ UTC" data-local="">overdue by less than a minute<\/time><\/dd>/,
		);
		expect(taskPage).toMatch(/<dt>Follow up<\/dt><dd><time [^>]+>follow up in 1 day<\/time>/);
		expect(taskPage).toContain('<span aria-hidden="true">⚠ </span>Overdue</span>');

		const processPage = await (
			await boss.get(`/processes/${encodeURIComponent(processId)}`)
		).text();
		expect(processPage).toMatch(
			/<g class="boundary boundary-timer is-non-interrupting bst-listening" [^>]*data-boundary="reminder" data-host="approve" data-status="listening">/,
		);
		expect(processPage).toMatch(
			/<g class="node st-waiting is-active is-overdue"[^>]*data-node="approve"/,
		);
		expect(processPage).toMatch(
			/<strong>Reminder on Approve the order<\/strong> <time datetime="[^"]+" title="[^"]+" data-local="">fires in 1 day 23 h<\/time>/,
		);
		expect(processPage).toContain("<strong>Approve the order</strong> <time");
	});
});
