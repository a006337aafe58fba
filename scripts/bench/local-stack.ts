// The local stack every Baton sample of `npm run bench` runs on: Miniflare directly (one workerd
// process, no `wrangler dev` proxy), with D1, SQLite-backed Durable Objects (processes and message
// boxes) and Queues configured as in wrangler.toml, persisted to a fresh directory on disk that
// `dispose` removes. Shared by baton.ts (the speed table) and events.ts (timers and messages).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as MiniflareModule from "miniflare";

const root = new URL("../../", import.meta.url).pathname;

/** The statements of every D1 migration, in order (drizzle-kit's breakpoints split them). */
function migrationStatements(): string[] {
	const dir = join(root, "migrations");
	return readdirSync(dir)
		.filter((f) => f.endsWith(".sql"))
		.sort()
		.flatMap((f) => readFileSync(join(dir, f), "utf8").split("--> statement-breakpoint"))
		.map((s) => s.trim())
		.filter((s) => s.length > 0);
}

// The Miniflare (and so the workerd) that wrangler itself runs for `npm start`.
const require = createRequire(createRequire(import.meta.url).resolve("wrangler/package.json"));
const { Miniflare, convertV4MiniflareOptions } = require("miniflare") as typeof MiniflareModule;

export interface LocalStack {
	/** POSTs JSON to the bench worker (a `/__bench/*` route) and parses its JSON answer. */
	post<T>(path: string, body: unknown): Promise<T>;
	dispose(): Promise<void>;
}

/**
 * Starts workerd on the bundled bench worker and applies the D1 migrations. `batchSize` is the
 * task consumer's (wrangler.toml says 25); `inspectorPort` opens workerd's inspector (profiling).
 */
export async function startLocalStack(options: {
	bundle: string;
	batchSize?: number;
	inspectorPort?: number;
}): Promise<LocalStack> {
	const persist = mkdtempSync(join(tmpdir(), "baton-bench-"));
	const taskShards = ["baton-tasks", "baton-tasks-1", "baton-tasks-2", "baton-tasks-3"];
	const mf = new Miniflare(
		convertV4MiniflareOptions({
			resourcePersistencePath: persist,
			...(options.inspectorPort ? { inspectorPort: options.inspectorPort } : {}),
			workers: [
				{
					name: "baton",
					modules: true,
					scriptPath: options.bundle,
					compatibilityDate: "2026-11-01",
					d1Databases: { DB: "baton-bench" },
					durableObjects: {
						PROCESS: { className: "ProcessObject", useSQLite: true },
						MESSAGES: { className: "MessageBox", useSQLite: true },
					},
					// The task queue's four shards as in wrangler.toml; BENCH_TASK_QUEUE_SHARDS says how many carry jobs.
					queueProducers: Object.fromEntries(
						taskShards.map((q, i) => [i === 0 ? "TASKS" : `TASKS_${i}`, { queueName: q }]),
					),
					queueConsumers: {
						...Object.fromEntries(
							taskShards.map((q) => [
								q,
								{
									maxBatchSize: options.batchSize ?? 25,
									maxBatchTimeout: 0,
									maxRetries: 5,
									retryDelay: 2,
									deadLetterQueue: "baton-tasks-dlq",
								},
							]),
						),
						"baton-tasks-dlq": { maxBatchSize: 10, maxBatchTimeout: 1, maxRetries: 10 },
					},
					bindings: {
						DEMO_SEED: "off",
						SESSION_KEYS: "[]",
						TASK_QUEUE_SHARDS: process.env.BENCH_TASK_QUEUE_SHARDS ?? "1",
					},
				},
			],
		}),
	);
	const post = async <T>(path: string, body: unknown): Promise<T> => {
		const res = await mf.dispatchFetch(`http://bench.local${path}`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`${path}: ${res.status} ${text.slice(0, 500)}`);
		return JSON.parse(text) as T;
	};
	const dispose = async () => {
		await mf.dispose();
		rmSync(persist, { recursive: true, force: true });
	};
	try {
		await mf.ready;
		await post("/__bench/migrate", migrationStatements());
	} catch (e) {
		await dispose();
		throw e;
	}
	return { post, dispose };
}

/** Starts the V8 CPU profiler of the Baton worker's isolate through workerd's inspector. */
export async function startProfile(port: number): Promise<{ stop(): Promise<unknown> }> {
	const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
		id: string;
		title?: string;
		webSocketDebuggerUrl: string;
	}[];
	const target = targets.find((t) => t.id.includes("baton")) ?? targets[0];
	if (!target) throw new Error("no inspector target");
	const ws = new WebSocket(target.webSocketDebuggerUrl);
	await new Promise((resolve, reject) => {
		ws.onopen = resolve;
		ws.onerror = reject;
	});
	let seq = 0;
	const waiting = new Map<number, (v: unknown) => void>();
	ws.onmessage = (e) => {
		const m = JSON.parse(String(e.data)) as { id?: number; result?: unknown };
		if (m.id !== undefined) waiting.get(m.id)?.(m.result);
	};
	const call = (method: string, params: Record<string, unknown> = {}) =>
		new Promise<unknown>((resolve) => {
			const id = ++seq;
			waiting.set(id, resolve);
			ws.send(JSON.stringify({ id, method, params }));
		});
	await call("Profiler.enable");
	await call("Profiler.setSamplingInterval", { interval: 500 });
	await call("Profiler.start");
	return {
		async stop() {
			const result = (await call("Profiler.stop")) as { profile: unknown };
			ws.close();
			return result.profile;
		},
	};
}
