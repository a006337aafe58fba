// `npm run load [-- options]`: a load and soak run against a running `npm start` on 127.0.0.1,
// bounded in time and in count. It signs in as the demo admin, publishes a small approval workflow,
// creates a Standard Webhooks trigger for the automated conference, then for `--seconds` sends, at a
// steady rate, signed webhook starts (some delivered twice, as senders retry) and API starts of the
// approval (some with a repeated Idempotency-Key), and submits the approvals' forms as their tasks
// appear (some submitted twice). Then it waits for every process it touched and checks each one:
// finished, exactly the expected tasks (none lost, none duplicated), one process per delivery id
// and per key, and the D1 index (the API's lists) equal to the ProcessObject (the API's detail).
//
//   --url http://127.0.0.1:8787   --seconds 60   --hook-rate 5   --api-rate 2   (per second)
//   --max-processes 2000   --email admin@baton.local   --password baton-demo
import { createHmac } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { arg, percentile } from "./common.ts";

const base = arg("url", "http://127.0.0.1:8787").replace(/\/$/, "");
const host = new URL(base).hostname;
if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) {
	throw new Error(`npm run load only targets this machine (127.0.0.1), not ${host}`);
}
const seconds = Number(arg("seconds", "60"));
const hookRate = Number(arg("hook-rate", "5"));
const apiRate = Number(arg("api-rate", "2"));
const maxProcesses = Number(arg("max-processes", "2000"));
const email = arg("email", "admin@baton.local");
const password = arg("password", "baton-demo");
const drainSeconds = Number(arg("drain-seconds", "120"));
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const tag = `load${Date.now().toString(36)}`;

// ---- HTTP with a session --------------------------------------------------------------------

const cookies = new Map<string, string>();
let csrf = "";
const timings: Record<string, number[]> = {};
const statuses: Record<string, Record<number, number>> = {};

function remember(res: Response): void {
	for (const c of res.headers.getSetCookie()) {
		const [pair] = c.split(";");
		const eq = pair?.indexOf("=") ?? -1;
		if (pair && eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
	}
}

async function http(
	label: string,
	path: string,
	init: {
		method?: string;
		json?: unknown;
		form?: Record<string, string>;
		headers?: Record<string, string>;
		body?: string;
	} = {},
): Promise<{ status: number; body: unknown; text: string }> {
	const headers: Record<string, string> = {
		origin: base,
		cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
		...(csrf ? { "x-csrf-token": csrf } : {}),
		...init.headers,
	};
	let body: string | undefined = init.body;
	if (init.json !== undefined) {
		headers["content-type"] = "application/json";
		body = JSON.stringify(init.json);
	} else if (init.form) {
		headers["content-type"] = "application/x-www-form-urlencoded";
		body = new URLSearchParams(init.form).toString();
	}
	const t = performance.now();
	const res = await fetch(`${base}${path}`, {
		method: init.method ?? (body === undefined ? "GET" : "POST"),
		headers,
		body,
		redirect: "manual",
	});
	remember(res);
	const text = await res.text();
	const took = timings[label] ?? [];
	took.push(performance.now() - t);
	timings[label] = took;
	const byStatus = statuses[label] ?? {};
	byStatus[res.status] = (byStatus[res.status] ?? 0) + 1;
	statuses[label] = byStatus;
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// HTML
	}
	return { status: res.status, body: parsed, text };
}

const hidden = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";

async function signIn(): Promise<void> {
	const page = await http("setup", "/sign-in");
	const res = await http("setup", "/sign-in", {
		form: { email, password, _csrf: hidden(page.text), next: "/" },
	});
	if (res.status !== 303 && res.status !== 302) {
		throw new Error(
			`sign-in as ${email} failed: ${res.status} (is \`npm start\` running with the demo?)`,
		);
	}
	const account = await http("setup", "/account");
	csrf = hidden(account.text);
	if (!csrf) throw new Error("no CSRF token on /account after signing in");
}

// ---- The workloads -----------------------------------------------------------------------------

const APPROVAL = {
	key: `${tag}-approval`,
	name: "Load test: approval",
	roles: [],
	nodes: [
		{
			key: "request",
			task: "ask",
			start: true,
			params: { questions: { amount: { label: "Amount", type: "number", required: true } } },
		},
		{ key: "record", task: "dummy", end: true },
	],
	transitions: [{ from: "request", to: "record" }],
};
const CONFERENCE = "conference-automated";
const EXPECTED: Record<string, string[]> = {
	[CONFERENCE]: [
		"call_for_papers",
		"search_location",
		"collect_papers",
		"publicize",
		"mailing",
		"newspapers",
		"poster",
		"receive_subscriptions",
		"receive_subscriptions",
		"receive_subscriptions",
		"start_conference",
		"wait_starting_day",
		"wait_starting_day",
		"wait_starting_day",
	].sort(),
	[APPROVAL.key]: ["record", "request"],
};

function standardSignature(secret: string, id: string, timestamp: number, body: string): string {
	const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
	return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

interface Touched {
	processId: string;
	workflow: string;
	via: "hook" | "api";
	/** The delivery id or Idempotency-Key that started it. */
	key: string;
}

const touched = new Map<string, Touched>();
const startedBy = new Map<string, string>(); // key → processId
const problems: string[] = [];
let submitted = 0;
let duplicateSubmits = 0;
let duplicateStarts = 0;

function recordStart(via: Touched["via"], workflow: string, key: string, processId: unknown): void {
	if (typeof processId !== "string") {
		problems.push(`${via} start ${key}: no process id in the answer`);
		return;
	}
	const prior = startedBy.get(key);
	if (prior !== undefined && prior !== processId) {
		problems.push(`${via} key ${key} started two processes: ${prior} and ${processId}`);
	}
	startedBy.set(key, processId);
	touched.set(processId, { processId, workflow, via, key });
}

// ---- Steady-rate driver ----------------------------------------------------------------------

/** Calls `fire` `rate` times a second for `seconds`; reports how many it sent and how late it ran. */
async function steady(
	rate: number,
	seconds: number,
	fire: (i: number) => Promise<void>,
): Promise<{ sent: number; lateMsP95: number | null; rate: number; elapsedS: number }> {
	if (rate <= 0) return { sent: 0, lateMsP95: null, rate: 0, elapsedS: 0 };
	const t0 = performance.now();
	const total = Math.floor(rate * seconds);
	const late: number[] = [];
	let lastFire = t0;
	const running = new Set<Promise<void>>();
	for (let i = 0; i < total && touched.size < maxProcesses; i++) {
		const due = t0 + (i * 1000) / rate;
		const wait = due - performance.now();
		if (wait > 0) await new Promise((r) => setTimeout(r, wait));
		lastFire = performance.now();
		late.push(Math.max(0, lastFire - due));
		const p = fire(i).catch((e: unknown) => {
			problems.push(`request ${i}: ${String(e)}`);
		});
		running.add(p);
		void p.finally(() => running.delete(p));
		// Bounded: never more than 256 requests of one stream in flight.
		if (running.size >= 256) await Promise.race(running);
	}
	await Promise.all(running);
	return {
		sent: late.length,
		lateMsP95: percentile(late, 95),
		// The rate held: sends per second between the first and the last one.
		rate: late.length > 1 ? (late.length - 1) / ((lastFire - t0) / 1000) : late.length,
		elapsedS: (performance.now() - t0) / 1000,
	};
}

async function submitter(until: () => boolean): Promise<void> {
	const done = new Set<string>();
	while (!until()) {
		const page = await http(
			"list tasks",
			`/api/v1/tasks?workflow=${APPROVAL.key}&status=PENDING&scope=all&limit=100`,
		);
		const items = (
			(page.body as { items?: { id: string; awaitingInput: boolean }[] }).items ?? []
		).filter((t) => t.awaitingInput && !done.has(t.id));
		for (const task of items) {
			done.add(task.id);
			const path = `/api/v1/tasks/${encodeURIComponent(task.id)}/values`;
			const values = { values: { amount: submitted + 1 } };
			const res = await http("submit", path, { json: values });
			if (res.status !== 200)
				problems.push(`submit ${task.id}: ${res.status} ${res.text.slice(0, 200)}`);
			submitted++;
			// Every tenth form is submitted twice, as a double click would: the second must change nothing.
			if (submitted % 10 === 0) {
				const again = await http("submit again", path, { json: values });
				duplicateSubmits++;
				if (again.status === 200 || again.status === 409) continue;
				problems.push(`second submit of ${task.id}: ${again.status}`);
			}
		}
		await new Promise((r) => setTimeout(r, 200));
	}
}

// ---- The check -----------------------------------------------------------------------------

interface Detail {
	status: string;
	tasks: { id: string; node: string; status: string; attempt: number; assignee: string | null }[];
}

const FINISHED = new Set(["SUCCESS", "FAILURE", "REVOKED"]);

async function detail(id: string): Promise<Detail> {
	const res = await http("check", `/api/v1/processes/${encodeURIComponent(id)}`);
	if (res.status !== 200) throw new Error(`GET process ${id}: ${res.status}`);
	return res.body as Detail;
}

interface IndexTask {
	id: string;
	processId: string;
	node: string;
	status: string;
	attempt: number;
	assignee: string | null;
}

/** Every page of a list of the API (the D1 index). */
async function pages<T>(path: string): Promise<T[]> {
	const out: T[] = [];
	let cursor: string | null = null;
	do {
		const sep = path.includes("?") ? "&" : "?";
		const res = await http(
			"check",
			`${path}${sep}limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
		);
		if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text.slice(0, 200)}`);
		const body = res.body as { items: T[]; nextCursor: string | null };
		out.push(...body.items);
		cursor = body.nextCursor;
	} while (cursor);
	return out;
}

/** The index's rows of the given workflows: process rows by id, task rows by process. */
async function readIndex(workflows: string[]) {
	const processRows = new Map<string, { status: string; activeTasks: number }>();
	const taskRows = new Map<string, IndexTask[]>();
	for (const w of workflows) {
		for (const status of ["PENDING", "STARTED", "SUCCESS", "FAILURE", "REVOKED"]) {
			for (const r of await pages<{ id: string; status: string; activeTasks: number }>(
				`/api/v1/processes?workflow=${encodeURIComponent(w)}&status=${status}`,
			))
				processRows.set(r.id, { status: r.status, activeTasks: r.activeTasks });
		}
		for (const status of ["PENDING", "STARTED", "RETRY", "SUCCESS", "FAILURE", "REVOKED"]) {
			for (const r of await pages<IndexTask>(
				`/api/v1/tasks?workflow=${encodeURIComponent(w)}&status=${status}&scope=all`,
			)) {
				const row = {
					id: r.id,
					processId: r.processId,
					node: r.node,
					status: r.status,
					attempt: r.attempt,
					assignee: r.assignee,
				};
				taskRows.set(r.processId, [...(taskRows.get(r.processId) ?? []), row]);
			}
		}
	}
	return { processRows, taskRows };
}

/** What is wrong with one process, its object against the expectation and the index; null if nothing. */
function verdict(
	t: Touched,
	d: Detail,
	index: Awaited<ReturnType<typeof readIndex>>,
): string | null {
	if (!FINISHED.has(d.status)) return `${t.processId} (${t.workflow}) is ${d.status}`;
	if (d.status !== "SUCCESS") return `${t.processId} (${t.workflow}) ended ${d.status}`;
	const nodes = d.tasks.map((x) => x.node).sort();
	if (JSON.stringify(nodes) !== JSON.stringify(EXPECTED[t.workflow])) {
		return `${t.processId}: tasks ${nodes.join(",")} (expected ${EXPECTED[t.workflow]?.join(",")})`;
	}
	if (d.tasks.some((x) => x.status !== "SUCCESS" || x.attempt !== 1)) {
		return `${t.processId}: a task not SUCCESS on attempt 1`;
	}
	const row = index.processRows.get(t.processId);
	if (!row || row.status !== d.status || row.activeTasks !== 0) {
		return `${t.processId}: index row ${JSON.stringify(row)} but the object is ${d.status}`;
	}
	const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
	const mine = d.tasks
		.map((x) => ({
			id: x.id,
			node: x.node,
			status: x.status,
			attempt: x.attempt,
			assignee: x.assignee ?? null,
		}))
		.sort(byId);
	const theirs = (index.taskRows.get(t.processId) ?? [])
		.map(({ processId: _p, ...r }) => r)
		.sort(byId);
	if (JSON.stringify(mine) !== JSON.stringify(theirs)) {
		return `${t.processId}: index tasks ${JSON.stringify(theirs).slice(0, 200)} differ from the object's`;
	}
	return null;
}

/** Checks every touched process; the index may lag a busy object by about a second, so a
 * difference is looked at again a few times before it counts. */
async function checkAll(list: Touched[]): Promise<string[]> {
	const details = new Map<string, Detail>();
	for (const t of list) details.set(t.processId, await detail(t.processId));
	let open = list;
	let found: string[] = [];
	for (let round = 0; round < 10 && open.length > 0; round++) {
		if (round > 0) await new Promise((r) => setTimeout(r, 1000));
		const index = await readIndex([...new Set(open.map((t) => t.workflow))]);
		found = [];
		const still: Touched[] = [];
		for (const t of open) {
			const problem = verdict(t, details.get(t.processId) as Detail, index);
			if (problem) {
				found.push(problem);
				still.push(t);
			}
		}
		open = still;
	}
	return found;
}

// ---- Run ----------------------------------------------------------------------------------

const load0 = loadavg()[0] ?? 0;
console.log(
	`npm run load: ${base}, ${seconds} s, ${hookRate} webhook starts/s + ${apiRate} API starts/s, at most ${maxProcesses} processes`,
);
await signIn();
const published = await http("setup", "/api/v1/workflows", { json: APPROVAL });
if (published.status !== 201)
	throw new Error(`publish: ${published.status} ${published.text.slice(0, 300)}`);
const conference = await http("setup", `/api/v1/workflows/${CONFERENCE}`);
if (conference.status !== 200)
	throw new Error(`${CONFERENCE} is not published (start with DEMO_SEED on): ${conference.status}`);
const trigger = await http("setup", "/api/v1/webhooks", {
	json: {
		key: `${tag}-conference`,
		name: "Load test",
		kind: "start",
		scheme: "standard",
		workflowKey: CONFERENCE,
		mapping: {},
		rateLimitPerMinute: 10_000,
	},
});
if (trigger.status !== 201)
	throw new Error(`webhook trigger: ${trigger.status} ${trigger.text.slice(0, 300)}`);
const secret = (trigger.body as { secret: string }).secret;
const hookPath = `/hooks/${tag}-conference`;

const t0 = performance.now();
let sending = true;
const submitting = submitter(
	() => !sending && [...touched.values()].filter((t) => t.via === "api").length <= submitted,
);
const [hooks, api] = await Promise.all([
	steady(hookRate, seconds, async (i) => {
		const id = `msg_${tag}_${i}`;
		const body = JSON.stringify({ order: i });
		const deliver = async () => {
			const ts = Math.floor(Date.now() / 1000);
			return http("webhook start", hookPath, {
				body,
				headers: {
					"content-type": "application/json",
					"webhook-id": id,
					"webhook-timestamp": String(ts),
					"webhook-signature": standardSignature(secret, id, ts, body),
				},
			});
		};
		const res = await deliver();
		if (res.status !== 202) problems.push(`webhook ${id}: ${res.status} ${res.text.slice(0, 200)}`);
		else recordStart("hook", CONFERENCE, id, (res.body as { processId?: string }).processId);
		// One delivery in twenty arrives twice (a sender's retry): the same process must answer.
		if (i % 20 === 0) {
			duplicateStarts++;
			const again = await deliver();
			if (again.status === 202 || again.status === 200)
				recordStart("hook", CONFERENCE, id, (again.body as { processId?: string }).processId);
			else problems.push(`repeated webhook ${id}: ${again.status}`);
		}
	}),
	steady(apiRate, seconds, async (i) => {
		const key = `${tag}-api-${i}`;
		const start = () =>
			http("api start", "/api/v1/processes", {
				json: { workflowKey: APPROVAL.key, params: {} },
				headers: { "idempotency-key": key },
			});
		const res = await start();
		if (res.status !== 201)
			problems.push(`API start ${key}: ${res.status} ${res.text.slice(0, 200)}`);
		else recordStart("api", APPROVAL.key, key, (res.body as { processId?: string }).processId);
		if (i % 20 === 0) {
			duplicateStarts++;
			const again = await start();
			if (again.status === 201)
				recordStart("api", APPROVAL.key, key, (again.body as { processId?: string }).processId);
			else problems.push(`repeated API start ${key}: ${again.status}`);
		}
	}),
]);
sending = false;
const sendSeconds = (performance.now() - t0) / 1000;

// Drain: every process it touched should finish; the approvals need their forms submitted.
const deadline = performance.now() + drainSeconds * 1000;
const waiting = new Set(touched.keys());
while (waiting.size > 0 && performance.now() < deadline) {
	for (const id of [...waiting].slice(0, 50)) {
		if (FINISHED.has((await detail(id)).status)) waiting.delete(id);
	}
	if (waiting.size > 0) await new Promise((r) => setTimeout(r, 250));
}
const drainedS = (performance.now() - t0) / 1000 - sendSeconds;
sending = false;
await Promise.race([submitting, new Promise((r) => setTimeout(r, 2000))]);

console.log(`checking ${touched.size} processes…`);
problems.push(...(await checkAll([...touched.values()])));
const checked = touched.size;

const summary = {
	url: base,
	startedAt: new Date(Date.now() - (performance.now() - t0)).toISOString(),
	seconds,
	target: { webhookStartsPerSec: hookRate, apiStartsPerSec: apiRate },
	held: {
		webhookStartsPerSec: hooks.rate,
		apiStartsPerSec: api.rate,
		webhookSchedulerLateMsP95: hooks.lateMsP95,
		apiSchedulerLateMsP95: api.lateMsP95,
	},
	sendSeconds,
	drainSeconds: drainedS,
	processes: touched.size,
	byWorkflow: Object.fromEntries(
		Object.keys(EXPECTED).map((w) => [
			w,
			[...touched.values()].filter((t) => t.workflow === w).length,
		]),
	),
	repeatedStarts: duplicateStarts,
	submissions: submitted,
	repeatedSubmissions: duplicateSubmits,
	steps: [...touched.values()].reduce((n, t) => n + (EXPECTED[t.workflow]?.length ?? 0), 0),
	httpMs: Object.fromEntries(
		Object.entries(timings).map(([k, v]) => [
			k,
			{ n: v.length, p50: percentile(v, 50), p95: percentile(v, 95), p99: percentile(v, 99) },
		]),
	),
	statuses,
	checked,
	unfinished: waiting.size,
	problems: problems.length,
	firstProblems: problems.slice(0, 20),
	load1: [load0, loadavg()[0] ?? 0],
	passed: problems.length === 0 && waiting.size === 0 && checked === touched.size,
};
mkdirSync("bench-results/raw", { recursive: true });
writeFileSync(`bench-results/raw/load-${stamp}.json`, JSON.stringify(summary, null, 1));
const f = (v: number | null | undefined, d = 1) =>
	v === null || v === undefined ? "–" : v.toFixed(d);
const lines = [
	`\`npm run load -- ${process.argv.slice(2).join(" ")}\` — ${summary.startedAt.slice(0, 16).replace("T", " ")} UTC, against \`npm start\` (wrangler dev) on ${base}`,
	"",
	"| | target | held |",
	"|---|---|---|",
	`| webhook starts (Standard Webhooks, conference-automated, 14 tasks) | ${hookRate}/s | ${f(summary.held.webhookStartsPerSec, 2)}/s (scheduler late p95 ${f(hooks.lateMsP95)} ms) |`,
	`| API starts (approval: a form, then a task) | ${apiRate}/s | ${f(summary.held.apiStartsPerSec, 2)}/s (late p95 ${f(api.lateMsP95)} ms) |`,
	`| sending, then draining | ${seconds} s | ${f(sendSeconds)} s + ${f(drainedS)} s |`,
	"",
	`Processes touched: ${touched.size} (${Object.entries(summary.byWorkflow)
		.map(([w, n]) => `${w}: ${n}`)
		.join(
			", ",
		)}), ${summary.steps} tasks; ${duplicateStarts} starts repeated with the same delivery id or Idempotency-Key; ${submitted} forms submitted, ${duplicateSubmits} of them twice. Load average ${f(summary.load1[0], 2)} → ${f(summary.load1[1], 2)}.`,
	"",
	"| request | n | p50 ms | p95 ms | p99 ms | statuses |",
	"|---|---|---|---|---|---|",
	...Object.entries(summary.httpMs).map(
		([k, v]) =>
			`| ${k} | ${v.n} | ${f(v.p50)} | ${f(v.p95)} | ${f(v.p99)} | ${Object.entries(
				statuses[k] ?? {},
			)
				.map(([code, n]) => `${code}×${n}`)
				.join(" ")} |`,
	),
	"",
	summary.passed
		? `**Check passed**: all ${touched.size} processes finished SUCCESS with exactly their expected tasks (none lost, none duplicated, each on attempt 1), one process per delivery id and per Idempotency-Key, and the D1 index (API lists) equal to each ProcessObject (API detail).`
		: `**Check FAILED**: ${problems.length} problems, ${waiting.size} processes unfinished:\n${problems
				.slice(0, 20)
				.map((p) => `- ${p}`)
				.join("\n")}`,
];
const report = `${lines.join("\n")}\n`;
writeFileSync("bench-results/load.md", report);
console.log(
	`\n${report}\nraw: bench-results/raw/load-${stamp}.json; summary: bench-results/load.md`,
);
process.exit(summary.passed ? 0 : 1);
