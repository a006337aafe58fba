// `npm run bench:external [-- options]`: how fast external task workers (K1) get work through
// fetch-and-lock, against `npm start` on 127.0.0.1. It starts Baton itself (scripts/start-local.mjs)
// on a spare port with its own state directory, wiped first, bounded in time; signs in as the demo
// admin; makes one token (admin, processes:write, external-tasks for the bench's type); publishes a
// workflow of one external task; and measures, with the TypeScript client (src/client):
//   throughput  N processes started, then W workers fetching (maxTasks = free slots) and completing
//               until all N are done: tasks/s, and fetch-and-lock's round trip p50/p95
//   latency     W workers waiting in a long poll; processes started one at a time: from the task's
//               creation (its createdAt, the moment it became ready, on this machine's clock) to
//               the handler receiving it, p50/p95
// Then it stops the server. The API's per-token rate limit is lifted for the run (one token). Each
// run has a task type of its own: `wrangler dev`'s proxy keeps a request open after its client
// left, so the polls a stopped run abandoned still wait on their board (workerd itself cancels
// them, as the workers tests show) and would take the next run's first tasks.
//
//   --port 8798   --tasks 300   --samples 100   --state .wrangler/bench-external
//   --limit-seconds 600   --email admin@baton.local   --password baton-demo
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ExternalTask, ExternalWorker } from "../../src/client/external-worker.ts";
import { arg, load1, percentile } from "./common.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const port = Number(arg("port", "8798"));
const tasksPerRun = Number(arg("tasks", "300"));
const samples = Number(arg("samples", "100"));
const limitSeconds = Number(arg("limit-seconds", "600"));
const stateDir = resolve(root, arg("state", ".wrangler/bench-external"));
const email = arg("email", "admin@baton.local");
const password = arg("password", "baton-demo");
const base = `http://127.0.0.1:${port}`;
const tag = Date.now().toString(36);
/** One task type (and workflow) per run: warm-up, three throughput runs, two latency runs. */
const TYPES = Array.from({ length: 6 }, (_, i) => `bench-render-${tag}-${i}`);
const workflowOf = (type: string) => `bench-${type}`;
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const env = {
	...process.env,
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
	WRANGLER_SEND_METRICS: "false",
	PORT: String(port),
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) =>
	console.log(`[bench:external ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---- The server ---------------------------------------------------------------------------------

let server: ChildProcess | undefined;

async function startServer(): Promise<void> {
	server = spawn(
		process.execPath,
		[
			join(root, "scripts", "start-local.mjs"),
			"--persist-to",
			stateDir,
			"--inspector-port",
			String(port + 10_000),
			"--log-level",
			"error",
			"--var",
			"API_RATE_LIMIT_PER_MINUTE:100000000",
		],
		{ cwd: root, env, detached: true, stdio: ["ignore", "ignore", "inherit"] },
	);
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
		try {
			if ((await fetch(`${base}/health`)).ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error("the server did not answer /health in 120 s");
		await sleep(250);
	}
}

/** SIGTERM to the whole group (start-local, wrangler, workerd), then SIGKILL if it lingers. */
async function stopServer(): Promise<void> {
	const running = server;
	if (!running?.pid) return;
	server = undefined;
	const exited = new Promise((r) => running.once("exit", r));
	for (const signal of ["SIGTERM", "SIGKILL"] as const) {
		try {
			process.kill(-running.pid, signal);
		} catch {
			return;
		}
		if (await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])) return;
	}
}

// ---- HTTP ---------------------------------------------------------------------------------------

const cookies = new Map<string, string>();
let token = "";

async function http(
	path: string,
	init: { json?: unknown; form?: [string, string][]; csrf?: string } = {},
): Promise<{ status: number; body: unknown; text: string }> {
	const headers: Record<string, string> = { origin: base };
	if (token) headers.authorization = `Bearer ${token}`;
	else headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
	if (init.csrf) headers["x-csrf-token"] = init.csrf;
	let body: string | undefined;
	if (init.json !== undefined) {
		headers["content-type"] = "application/json";
		body = JSON.stringify(init.json);
	} else if (init.form) {
		headers["content-type"] = "application/x-www-form-urlencoded";
		body = new URLSearchParams(init.form).toString();
	}
	const res = await fetch(`${base}${path}`, {
		method: body === undefined ? "GET" : "POST",
		headers,
		body,
		redirect: "manual",
		signal: AbortSignal.timeout(60_000),
	});
	for (const c of res.headers.getSetCookie()) {
		const [pair = ""] = c.split(";");
		const eq = pair.indexOf("=");
		if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
	}
	const text = await res.text();
	let parsed: unknown = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// a page
	}
	return { status: res.status, body: parsed, text };
}

const hidden = (html: string, name: string) =>
	new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";

/** Signs in as the demo admin and makes the run's token (shown once on the account page). */
async function makeToken(): Promise<void> {
	const page = await http("/sign-in");
	const signedIn = await http("/sign-in", {
		form: [
			["email", email],
			["password", password],
			["_csrf", hidden(page.text, "_csrf")],
			["next", "/"],
		],
	});
	if (signedIn.status !== 303 && signedIn.status !== 302) {
		throw new Error(`sign-in as ${email} failed: ${signedIn.status}`);
	}
	const csrf = hidden((await http("/account")).text, "_csrf");
	const created = await http("/account/tokens", {
		csrf,
		form: [
			["name", `bench ${tag}`],
			["scopes", "read"],
			["scopes", "processes:write"],
			["scopes", "admin"],
			["scopes", "external-tasks"],
			["taskTypes", TYPES.join(" ")],
			["expires", "30"],
			["_csrf", csrf],
		],
	});
	const value = /id="new-token-value"[^>]*value="([^"]+)"/.exec(created.text)?.[1];
	if (created.status !== 201 || !value) {
		throw new Error(`no API token: ${created.status} ${created.text.slice(0, 300)}`);
	}
	token = value;
}

async function publishWorkflow(type: string): Promise<void> {
	const res = await http("/api/v1/workflows", {
		json: {
			key: workflowOf(type),
			name: `External workers bench (${type})`,
			externalTasks: { [type]: { title: "Render" } },
			nodes: [
				{ key: "render", task: type, start: true },
				{ key: "done", task: "dummy", end: true, inline: true },
			],
			transitions: [{ from: "render", to: "done" }],
		},
	});
	if (res.status !== 201) throw new Error(`publish: ${res.status} ${res.text.slice(0, 300)}`);
}

async function startProcess(type: string): Promise<string> {
	const res = await http("/api/v1/processes", { json: { workflowKey: workflowOf(type) } });
	if (res.status !== 201) throw new Error(`start: ${res.status} ${res.text.slice(0, 200)}`);
	return (res.body as { processId: string }).processId;
}

/** `n` processes, started `concurrency` at a time. */
async function startProcesses(type: string, n: number, concurrency = 10): Promise<void> {
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < n) {
				next += 1;
				await startProcess(type);
			}
		}),
	);
}

// ---- Workers ------------------------------------------------------------------------------------

/** A worker of `type`; `times` collects the round trips (ms) of fetch-and-lock and complete. */
function workerOf(
	type: string,
	name: string,
	options: {
		concurrency: number;
		waitMs: number;
		times?: { fetch: number[]; complete: number[] };
	},
	handler: (task: ExternalTask) => unknown,
): ExternalWorker {
	return new ExternalWorker({
		baseUrl: base,
		token,
		workerId: name,
		types: [type],
		lockMs: 60_000,
		concurrency: options.concurrency,
		waitMs: options.waitMs,
		handler,
		onError: (e, where) => log(`${name} ${where}: ${e instanceof Error ? e.message : String(e)}`),
		fetch: async (input, init) => {
			const asked = performance.now();
			const res = await fetch(input, init);
			const url = String(input);
			const into = url.endsWith("/fetch-and-lock")
				? options.times?.fetch
				: url.endsWith("/complete")
					? options.times?.complete
					: undefined;
			if (into) {
				await res.clone().text();
				into.push(performance.now() - asked);
			}
			return res;
		},
	});
}

interface Throughput {
	workers: number;
	concurrency: number;
	tasks: number;
	seconds: number;
	tasksPerSec: number;
	fetchMs: { p50: number | null; p95: number | null; calls: number };
	completeMs: { p50: number | null; p95: number | null; calls: number };
}

function spread(times: number[]) {
	return {
		p50: round(percentile(times, 50)),
		p95: round(percentile(times, 95)),
		calls: times.length,
	};
}

/** N ready tasks, then W workers until all are done. */
async function throughput(type: string, workers: number, concurrency: number): Promise<Throughput> {
	await startProcesses(type, tasksPerRun);
	// Every offer reaches the board within milliseconds of its start's commit.
	await sleep(1_000);
	const times = { fetch: [] as number[], complete: [] as number[] };
	const pool = Array.from({ length: workers }, (_, i) =>
		workerOf(type, `w${i + 1}`, { concurrency, waitMs: 1_000, times }, () => ({ ok: true })),
	);
	const began = performance.now();
	const runs = pool.map((w) => w.start());
	const done = () => pool.reduce((n, w) => n + w.stats.completed, 0);
	while (done() < tasksPerRun) await sleep(5);
	const seconds = (performance.now() - began) / 1000;
	await Promise.all(pool.map((w) => w.stop()));
	await Promise.all(runs);
	return {
		workers,
		concurrency,
		tasks: done(),
		seconds: Math.round(seconds * 100) / 100,
		tasksPerSec: Math.round((done() / seconds) * 10) / 10,
		fetchMs: spread(times.fetch),
		completeMs: spread(times.complete),
	};
}

interface Latency {
	waitingWorkers: number;
	samples: number;
	p50: number | null;
	p95: number | null;
	max: number | null;
}

/** W workers waiting; processes started one at a time; ready → received, per task. */
async function latency(type: string, waitingWorkers: number): Promise<Latency> {
	const received = new Map<string, number>();
	let arrived: (() => void) | undefined;
	const pool = Array.from({ length: waitingWorkers }, (_, i) =>
		workerOf(type, `l${i + 1}`, { concurrency: 1, waitMs: 30_000 }, (task) => {
			received.set(task.processId, Date.now());
			arrived?.();
			return null;
		}),
	);
	const runs = pool.map((w) => w.start());
	await sleep(500);
	const ids: string[] = [];
	for (let i = 0; i < samples; i++) {
		const got = new Promise<void>((r) => {
			arrived = r;
		});
		ids.push(await startProcess(type));
		await Promise.race([got, sleep(30_000)]);
		// Let the worker complete and wait in its poll again before the next task is ready.
		await sleep(40 + Math.random() * 40);
	}
	await Promise.all(pool.map((w) => w.stop()));
	await Promise.all(runs);
	const spans: number[] = [];
	for (const id of ids) {
		const res = await http(`/api/v1/processes/${encodeURIComponent(id)}`);
		const createdAt = (res.body as { tasks?: { createdAt: number }[] }).tasks?.[0]?.createdAt;
		const at = received.get(id);
		if (createdAt !== undefined && at !== undefined) spans.push(at - createdAt);
	}
	return {
		waitingWorkers,
		samples: spans.length,
		p50: percentile(spans, 50),
		p95: percentile(spans, 95),
		max: spans.length > 0 ? Math.max(...spans) : null,
	};
}

function round(ms: number | null): number | null {
	return ms === null ? null : Math.round(ms * 10) / 10;
}

// ---- Run ----------------------------------------------------------------------------------------

const guard = setTimeout(() => {
	log(`over ${limitSeconds} s: stopping`);
	void stopServer().then(() => process.exit(1));
}, limitSeconds * 1000);
guard.unref();

let exitCode = 1;
try {
	log(`state ${stateDir} (wiped), ${base}, ${tasksPerRun} tasks a run, ${samples} latency samples`);
	rmSync(stateDir, { recursive: true, force: true });
	const migrate = spawnSync(
		process.execPath,
		[wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
		{ cwd: root, env, stdio: ["ignore", "ignore", "inherit"] },
	);
	if (migrate.status !== 0) throw new Error("could not apply the D1 migrations");
	await startServer();
	await makeToken();
	for (const type of TYPES) await publishWorkflow(type);
	const [warmType = "", t1 = "", t2 = "", t3 = "", l1 = "", l2 = ""] = TYPES;
	const loadBefore = load1();
	// A short warm-up, so that the first run does not pay for compiling and first requests.
	const warm = workerOf(warmType, "warm", { concurrency: 1, waitMs: 1_000 }, () => null);
	await startProcesses(warmType, 20);
	const warming = warm.start();
	while (warm.stats.completed < 20) await sleep(5);
	await warm.stop();
	await warming;

	const runs = [
		await throughput(t1, 1, 1),
		await throughput(t2, 10, 1),
		await throughput(t3, 1, 10),
	];
	const waits = [await latency(l1, 1), await latency(l2, 10)];
	const result = { at: new Date().toISOString(), load1: [loadBefore, load1()], runs, waits };
	console.log(JSON.stringify(result, null, 2));
	console.log(
		"\n| workers × concurrency | tasks | tasks/s | fetch-and-lock p50 / p95 (ms) | complete p50 / p95 (ms) |",
	);
	console.log("| --- | --- | --- | --- | --- |");
	for (const r of runs) {
		console.log(
			`| ${r.workers} × ${r.concurrency} | ${r.tasks} | ${r.tasksPerSec} | ${r.fetchMs.p50} / ${r.fetchMs.p95} | ${r.completeMs.p50} / ${r.completeMs.p95} |`,
		);
	}
	console.log("\n| waiting workers | samples | ready → received p50 / p95 / max (ms) |");
	console.log("| --- | --- | --- |");
	for (const l of waits) {
		console.log(`| ${l.waitingWorkers} | ${l.samples} | ${l.p50} / ${l.p95} / ${l.max} |`);
	}
	exitCode = 0;
} catch (e) {
	log(`failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
} finally {
	await stopServer();
}
process.exit(exitCode);
