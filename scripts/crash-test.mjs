// `npm run crash-test [-- options]`: kills Baton mid-run and checks that no work is lost, stuck or
// done twice. It runs `npm start` (scripts/start-local.mjs) on 127.0.0.1 with its own local state
// directory (wiped first, so every run is the same), signs in as the demo admin, makes an API
// token, starts N processes of `conference-automated` with an Idempotency-Key each, SIGKILLs the
// whole server process group (wrangler and workerd) while they run, starts it again on the same
// state, re-sends every start with its same key (as a client whose request failed would), and
// waits, bounded in time, for every process to end. Then it reads each process with its history
// and reports:
//   finished    SUCCESS with exactly the workflow's tasks
//   stuck       not finished when the time was up (or FAILURE / REVOKED)
//   duplicated  more than one process for a key, more tasks than the workflow's, a task created
//               or succeeded twice, or one attempt of a task started (claimed) twice
// and how much the recovery had to do (re-sent dispatches T13, expired leases, outbox retries).
// Exits 1 unless every process finished and none was duplicated.
//
//   --port 8797   --processes 100   --kill-after 50 (answered starts before the kill)
//   --wait-seconds 480   --state .wrangler/crash-test   --email admin@baton.local
//   --password baton-demo   --keep (leave the server running at the end)
import { spawn, spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	if (i < 0) return fallback;
	const next = process.argv[i + 1];
	return next === undefined || next.startsWith("--") ? "true" : next;
}

const port = Number(arg("port", process.env.PORT ?? "8797"));
const total = Number(arg("processes", "100"));
const killAfter = Number(arg("kill-after", String(Math.floor(total / 2))));
const waitSeconds = Number(arg("wait-seconds", "480"));
const stateDir = resolve(root, arg("state", ".wrangler/crash-test"));
const email = arg("email", "admin@baton.local");
const password = arg("password", "baton-demo");
const keep = arg("keep", "false") === "true";
const base = `http://127.0.0.1:${port}`;
const WORKFLOW = "conference-automated";
const EXPECTED = [
	"call_for_papers",
	"search_location",
	"collect_papers",
	"publicize",
	"mailing",
	"newspapers",
	"poster",
	// The loop runs receive_subscriptions → wait_starting_day three times (params.loops = 2).
	"receive_subscriptions",
	"receive_subscriptions",
	"receive_subscriptions",
	"wait_starting_day",
	"wait_starting_day",
	"wait_starting_day",
	"start_conference",
].sort();
const runTag = `crash${Date.now().toString(36)}`;
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");
const env = {
	...process.env,
	CLOUDFLARE_CF_FETCH_ENABLED: "false",
	WRANGLER_SEND_METRICS: "false",
	PORT: String(port),
};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (line) => console.log(`[crash-test ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---- The server -------------------------------------------------------------------------------

let server;

/** `npm start` in its own process group, on its own state directory. */
async function startServer() {
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
		],
		{ cwd: root, env, detached: true, stdio: ["ignore", "ignore", "inherit"] },
	);
	const deadline = Date.now() + 120_000;
	for (;;) {
		if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
		try {
			const res = await fetch(`${base}/health`);
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error("the server did not answer /health in 120 s");
		await sleep(250);
	}
}

/** SIGKILL to the whole group: start-local, wrangler and workerd die at once, mid-write. */
async function killServer(signal = "SIGKILL") {
	if (!server) return;
	const exited = new Promise((r) => server.once("exit", r));
	try {
		process.kill(-server.pid, signal);
	} catch {
		// already gone
	}
	await Promise.race([exited, sleep(10_000)]);
	// workerd may outlive its parent for a moment: wait until the port is free.
	const deadline = Date.now() + 15_000;
	while (Date.now() < deadline) {
		try {
			await fetch(`${base}/health`, { signal: AbortSignal.timeout(500) });
			await sleep(200);
		} catch {
			break;
		}
	}
	server = undefined;
}

// ---- HTTP ---------------------------------------------------------------------------------------

const cookies = new Map();
let csrf = "";
let token = "";

function remember(res) {
	for (const c of res.headers.getSetCookie()) {
		const [pair] = c.split(";");
		const eq = pair.indexOf("=");
		if (eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
	}
}

async function http(path, init = {}) {
	const headers = { origin: base, ...(init.headers ?? {}) };
	if (token) headers.authorization = `Bearer ${token}`;
	else headers.cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
	let body;
	if (init.json !== undefined) {
		headers["content-type"] = "application/json";
		body = JSON.stringify(init.json);
	} else if (init.form) {
		headers["content-type"] = "application/x-www-form-urlencoded";
		// An array of pairs repeats a field (the token's scopes).
		body = new URLSearchParams(init.form).toString();
	}
	const res = await fetch(`${base}${path}`, {
		method: body === undefined ? "GET" : "POST",
		headers,
		body,
		redirect: "manual",
		signal: AbortSignal.timeout(30_000),
	});
	remember(res);
	const text = await res.text();
	let parsed = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		// HTML
	}
	return { status: res.status, body: parsed, text };
}

const hidden = (html, name) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";

/** Signs in as the demo admin and makes an API token (shown once on the account page). */
async function makeToken() {
	const page = await http("/sign-in");
	const res = await http("/sign-in", {
		form: { email, password, _csrf: hidden(page.text, "_csrf"), next: "/" },
	});
	if (res.status !== 303 && res.status !== 302)
		throw new Error(`sign-in as ${email} failed: ${res.status}`);
	csrf = hidden((await http("/account")).text, "_csrf");
	const created = await http("/account/tokens", {
		form: [
			["name", runTag],
			["scopes", "read"],
			["scopes", "processes:write"],
			["scopes", "admin"],
			["expires", "90"],
			["_csrf", csrf],
		],
		headers: { "x-csrf-token": csrf },
	});
	const value = /id="new-token-value"[^>]*value="([^"]+)"/.exec(created.text)?.[1];
	if (created.status !== 201 || !value)
		throw new Error(`no API token: ${created.status} ${created.text.slice(0, 200)}`);
	token = value;
}

// ---- Starts ---------------------------------------------------------------------------------------

const keys = Array.from({ length: total }, (_, i) => `${runTag}-${i}`);
/** key → every process id an answer named for it (more than one is a duplicate). */
const idsByKey = new Map(keys.map((k) => [k, new Set()]));

async function startOne(key) {
	const res = await http("/api/v1/processes", {
		json: { workflowKey: WORKFLOW, params: {} },
		headers: { "idempotency-key": key },
	});
	if (res.status !== 201 && res.status !== 200)
		throw new Error(`start ${key}: ${res.status} ${res.text.slice(0, 200)}`);
	idsByKey.get(key).add(res.body.processId);
}

/** Sends the starts `concurrency` at a time; `onAnswer` after each answered one. */
async function sendStarts(list, concurrency, onAnswer = () => {}) {
	let next = 0;
	let answered = 0;
	let failed = 0;
	const worker = async () => {
		while (next < list.length) {
			const key = list[next++];
			try {
				await startOne(key);
				answered++;
				onAnswer(answered);
			} catch (e) {
				failed++;
				if (failed === 1) log(`a start failed: ${e instanceof Error ? e.message : String(e)}`);
			}
		}
	};
	await Promise.all(Array.from({ length: concurrency }, worker));
	return { answered, failed };
}

// ---- Checks -------------------------------------------------------------------------------------

async function readProcess(id) {
	const res = await http(`/api/v1/processes/${encodeURIComponent(id)}`);
	return res.status === 200 ? res.body : undefined;
}

function duplicationsOf(p) {
	const found = [];
	const nodes = p.tasks.map((t) => t.node).sort();
	if (JSON.stringify(nodes) !== JSON.stringify(EXPECTED))
		found.push(`tasks ${nodes.join(",")} (expected ${EXPECTED.join(",")})`);
	const count = (type) => {
		const by = new Map();
		for (const e of p.history) if (e.type === type) by.set(e.taskId, (by.get(e.taskId) ?? 0) + 1);
		return by;
	};
	for (const [taskId, n] of count("TaskSucceeded"))
		if (n > 1) found.push(`${taskId} succeeded ${n} times`);
	for (const [taskId, n] of count("TaskCreated"))
		if (n > 1) found.push(`${taskId} created ${n} times`);
	// One attempt runs once: a second TaskStarted of the same attempt would be a double claim.
	const starts = new Map();
	for (const e of p.history) {
		if (e.type !== "TaskStarted") continue;
		const key = `${e.taskId} attempt ${e.data?.attempt ?? "?"}`;
		starts.set(key, (starts.get(key) ?? 0) + 1);
	}
	for (const [key, n] of starts) if (n > 1) found.push(`${key} started ${n} times`);
	return found;
}

// ---- Run ------------------------------------------------------------------------------------------

const started = Date.now();
log(`state ${stateDir} (wiped), ${base}, ${total} × ${WORKFLOW}, kill after ${killAfter} answers`);
rmSync(stateDir, { recursive: true, force: true });
const migrate = spawnSync(
	process.execPath,
	[wrangler, "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
	{ cwd: root, env, stdio: ["ignore", "ignore", "inherit"] },
);
if (migrate.status !== 0) throw new Error("could not apply the D1 migrations");

let exitCode = 1;
try {
	await startServer();
	log("server up; signing in");
	await makeToken();
	const wf = await http(`/api/v1/workflows/${WORKFLOW}`);
	if (wf.status !== 200) throw new Error(`${WORKFLOW} is not published: ${wf.status}`);

	// Phase 1: the starts, and the kill once `killAfter` of them were answered.
	let killing;
	const phase1 = sendStarts(keys, 10, (answered) => {
		if (answered === killAfter && !killing) {
			log(`${answered} starts answered: SIGKILL to the server's process group`);
			killing = killServer("SIGKILL");
		}
	});
	const first = await phase1;
	await killing;
	if (!killing) await killServer("SIGKILL");
	const killedAt = Date.now();
	log(`before the kill: ${first.answered} answered, ${first.failed} failed or cut off`);

	// Phase 2: the same state, started again; every start re-sent with its key.
	await startServer();
	const restartedAt = Date.now();
	log(
		`server up again after ${((restartedAt - killedAt) / 1000).toFixed(1)} s; re-sending every start`,
	);
	const second = await sendStarts(keys, 10);
	if (second.failed > 0) log(`${second.failed} re-sent starts failed`);

	// Phase 3: wait, bounded, for every process to end.
	const ids = new Map();
	for (const [key, set] of idsByKey) for (const id of set) ids.set(id, key);
	const deadline = Date.now() + waitSeconds * 1000;
	let open = [...ids.keys()];
	const done = new Map();
	let lastReport = 0;
	while (open.length > 0 && Date.now() < deadline) {
		const still = [];
		for (const id of open) {
			const p = await readProcess(id);
			if (p && ["SUCCESS", "FAILURE", "REVOKED"].includes(p.status)) done.set(id, p);
			else still.push(id);
		}
		open = still;
		if (open.length > 0) {
			if (Date.now() - lastReport > 15_000) {
				log(`${done.size} ended, ${open.length} still running`);
				lastReport = Date.now();
			}
			await sleep(1_000);
		}
	}
	const recoveredIn = (Date.now() - restartedAt) / 1000;

	// Phase 4: the verdict.
	const stuck = [];
	const duplicated = [];
	let finished = 0;
	let redispatches = 0;
	let leaseRetries = 0;
	let processesRecovered = 0;
	/** Seconds from the kill to each lapsed lease's new attempt: how long a dead worker held a job. */
	const lapses = [];
	for (const id of open) {
		const p = await readProcess(id);
		stuck.push(
			`${id} (${ids.get(id)}): ${p ? `${p.status}; ${p.tasks.map((t) => `${t.node}:${t.status}`).join(", ")}` : "not found"}`,
		);
	}
	for (const [id, p] of done) {
		const dups = duplicationsOf(p);
		if (dups.length > 0) duplicated.push(`${id}: ${dups.join("; ")}`);
		if (p.status !== "SUCCESS") stuck.push(`${id} (${ids.get(id)}): ended ${p.status}`);
		else if (dups.length === 0) finished++;
		const r = p.history.filter((e) => e.type === "TaskRedispatched").length;
		redispatches += r;
		for (const e of p.history)
			if (e.type === "TaskRetried" && e.data?.error?.code === "LEASE_EXPIRED")
				lapses.push((e.at - killedAt) / 1000);
		const l = p.tasks.filter((t) => t.attempt > 1).length;
		leaseRetries += l;
		if (r + l > 0) processesRecovered++;
	}
	for (const [key, set] of idsByKey) {
		if (set.size > 1) duplicated.push(`key ${key} started ${set.size} processes`);
		if (set.size === 0) stuck.push(`key ${key}: no start was ever answered`);
	}
	const summary = {
		processes: total,
		keys: idsByKey.size,
		startsAnsweredBeforeKill: first.answered,
		finished,
		stuck: stuck.length,
		duplicated: duplicated.length,
		redispatchedJobs: redispatches,
		tasksOnALaterAttempt: leaseRetries,
		processesThatNeededRecovery: processesRecovered,
		leasesLapsed: lapses.length,
		leasesLapsedSecondsAfterKill:
			lapses.length > 0
				? [Math.min(...lapses), Math.max(...lapses)].map((x) => Number(x.toFixed(1)))
				: [],
		secondsFromRestartToAllEnded: Number(recoveredIn.toFixed(1)),
		totalSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
	};
	console.log(JSON.stringify(summary, null, 2));
	for (const line of stuck.slice(0, 20)) console.log(`stuck: ${line}`);
	for (const line of duplicated.slice(0, 20)) console.log(`duplicated: ${line}`);
	exitCode = finished === total && stuck.length === 0 && duplicated.length === 0 ? 0 : 1;
	log(exitCode === 0 ? "PASS: nothing lost, stuck or duplicated" : "FAIL");
} catch (e) {
	console.error(`[crash-test] ${e instanceof Error ? e.message : String(e)}`);
} finally {
	if (!keep) await killServer("SIGTERM");
}
process.exit(exitCode);
