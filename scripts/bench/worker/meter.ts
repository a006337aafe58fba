// Counts, inside the bench worker, every operation Cloudflare bills, as the code under test does
// it: nothing here is estimated. The bench entry (entry.ts) wraps the `env` it hands to Baton and
// the `env` and storage of every Durable Object it exports (subclasses of Baton's classes), so
// Baton's own code in src/ runs unchanged and is metered from outside.
//
// What is counted and how (one isolate holds the Worker and its objects in local workerd, so the
// counters are module state; the storage methods are metered at their classes' prototypes, as
// workerd accepts only its own state object in a Durable Object's constructor):
// - Worker requests: each process start (a `POST /api/v1/processes` in a deployment), each queue
//   batch delivered to the consumer, each alarm-free `scheduled` tick (none in the bench).
// - Durable Object requests: each RPC method call and each `fetch` on a stub of any namespace
//   (every RPC call is its own billed session), and each alarm invocation.
// - Durable Object duration: wall-clock time during which an object has a request or alarm in
//   progress, summed over objects (an object idle between requests is eligible to hibernate and
//   is not billed then). ×128 MB gives GB-s.
// - Durable Object SQLite rows: `rowsRead`/`rowsWritten` of each cursor `ctx.storage.sql.exec`
//   returns, read after the code that asked for it has iterated it (a microtask later: Baton's
//   stores iterate synchronously); the KV-style API counts a row per key.
// - D1 rows: `meta.rows_read`/`rows_written` of each statement result, taken where workerd's D1
//   binding receives them (its session's `_sendOrThrow`/`_queryOrThrow`), which every API goes
//   through (`prepare().all/run/first/raw`, `batch`, drizzle over them): `raw()` drops the meta
//   before it reaches the caller, so wrapping the statements could not count it.
// - Queue operations, per started 64 KB of body: a write per message sent, a read per message
//   delivered (a redelivery is another read), a delete per message acknowledged.
// - R2 class A (put, list, multipart) and class B (get, head) calls.
// It also times, for the bench's latencies, when each job reaches the queue consumer and when each
// completion leaves it (takeJobTimings).
// Statements of the bench driver itself carry `/* bench */` and are not counted.
import type { Counts } from "../protocol.ts";
import type { HandOver, JobTimings } from "./latency.ts";

declare const BENCH_METERED: boolean | undefined;
/**
 * False in the speed bundle (bundle.ts `metered: false`): nothing is counted, and only the stubs
 * stay wrapped, for the hand-over timings the latencies need.
 */
const METERED = typeof BENCH_METERED === "boolean" ? BENCH_METERED : true;

const zero = (): Counts => ({
	workerRequests: 0,
	doRequests: 0,
	doAlarms: 0,
	doActiveMs: 0,
	doRowsRead: 0,
	doRowsWritten: 0,
	d1Queries: 0,
	d1RowsRead: 0,
	d1RowsWritten: 0,
	queueWrites: 0,
	queueReads: 0,
	queueDeletes: 0,
	r2ClassA: 0,
	r2ClassB: 0,
});

let counts = zero();

/** The counts since the last reset; `reset` starts over (the driver resets before a measured run). */
export function meterSnapshot(reset = false): Counts {
	const out = { ...counts, doActiveMs: counts.doActiveMs + openActiveMs() };
	if (reset) {
		counts = zero();
		for (const o of active.values()) if (o.depth > 0) o.since = Date.now();
	}
	return out;
}

export function countWorkerRequest(): void {
	counts.workerRequests++;
}

/** Marks a statement as the driver's own: not counted. */
export const BENCH_TAG = "/* bench */";

/**
 * Queues pricing counts "each 64 KB", a KB being 1,000 bytes, and "each message includes
 * approximately 100 bytes of internal metadata" (developers.cloudflare.com/queues/platform/pricing/).
 */
const KB64 = 64 * 1000;
const QUEUE_METADATA_BYTES = 100;
/** Billed units of a queue message: one per started 64 KB of its body and metadata. */
function queueUnits(body: unknown): number {
	let bytes: number;
	try {
		bytes = new TextEncoder().encode(JSON.stringify(body) ?? "").length;
	} catch {
		bytes = 1;
	}
	return Math.max(1, Math.ceil((bytes + QUEUE_METADATA_BYTES) / KB64));
}

// --- Durable Object active time ----------------------------------------------------------------

const active = new Map<object, { depth: number; since: number }>();

function openActiveMs(): number {
	let ms = 0;
	const now = Date.now();
	for (const o of active.values()) if (o.depth > 0) ms += now - o.since;
	return ms;
}

function enter(obj: object): void {
	let o = active.get(obj);
	if (!o) {
		o = { depth: 0, since: 0 };
		active.set(obj, o);
	}
	if (o.depth++ === 0) o.since = Date.now();
}

function exit(obj: object): void {
	const o = active.get(obj);
	if (!o) return;
	if (--o.depth === 0) {
		counts.doActiveMs += Date.now() - o.since;
		active.delete(obj);
	}
}

/** Runs `f` as time the object `obj` is active (nested calls count once). */
export function whileActive<T>(obj: object, f: () => T): T {
	if (!METERED) return f();
	enter(obj);
	let result: T;
	try {
		result = f();
	} catch (e) {
		exit(obj);
		throw e;
	}
	if (result instanceof Promise) {
		return result.finally(() => exit(obj)) as T;
	}
	exit(obj);
	return result;
}

/**
 * Wraps every method of `proto` (a Durable Object class's prototype, its own methods and its
 * parents' up to the platform's base) so the time each call is in progress counts as active.
 */
export function meterActiveTime(target: { prototype: object }, base: { prototype: object }): void {
	if (!METERED) return;
	const seen = new Set<string>();
	for (
		let proto: object | null = Object.getPrototypeOf(target.prototype);
		proto && proto !== base.prototype && proto !== Object.prototype;
		proto = Object.getPrototypeOf(proto)
	) {
		for (const name of Object.getOwnPropertyNames(proto)) {
			// The subclass's own methods (its alarm) account for themselves.
			if (name === "constructor" || seen.has(name) || Object.hasOwn(target.prototype, name))
				continue;
			seen.add(name);
			const d = Object.getOwnPropertyDescriptor(proto, name);
			if (!d || typeof d.value !== "function") continue;
			const original = d.value as (...a: unknown[]) => unknown;
			Object.defineProperty(target.prototype, name, {
				configurable: true,
				writable: true,
				value(this: object, ...args: unknown[]) {
					return whileActive(this, () => original.apply(this, args));
				},
			});
		}
	}
}

// --- Durable Object storage --------------------------------------------------------------------

interface Cursor {
	rowsRead: number;
	rowsWritten: number;
}

let storagePatched = false;

type Method = (...a: unknown[]) => unknown;
function patch(proto: object, name: string, wrap: (original: Method) => Method): void {
	const original = (proto as Record<string, unknown>)[name];
	if (typeof original !== "function") throw new Error(`cannot meter ${name}: not a method`);
	Object.defineProperty(proto, name, {
		configurable: true,
		writable: true,
		value: wrap(original as Method),
	});
}

const keysOf = (k: unknown) => (Array.isArray(k) ? k.length : 1);

/**
 * Meters the storage of every Durable Object of this isolate, at the prototypes of its classes:
 * workerd accepts only its own `DurableObjectState` in the base class's constructor, so the
 * state itself cannot be wrapped. Called by the metered subclasses before `super`.
 */
export function meterStorage(ctx: DurableObjectState): void {
	if (!METERED) return;
	if (storagePatched) return;
	storagePatched = true;
	patch(
		Object.getPrototypeOf(ctx.storage.sql),
		"exec",
		(exec) =>
			function (this: unknown, ...args: unknown[]) {
				const cursor = exec.apply(this, args) as Cursor;
				// The caller iterates the cursor synchronously; its counters are final a microtask on.
				queueMicrotask(() => {
					try {
						counts.doRowsRead += cursor.rowsRead;
						counts.doRowsWritten += cursor.rowsWritten;
					} catch {
						// a cursor of a transaction rolled back: nothing billed
					}
				});
				return cursor;
			},
	);
	// The KV-style API of a SQLite-backed object is billed as rows: one per key.
	const storage = Object.getPrototypeOf(ctx.storage) as object;
	patch(
		storage,
		"get",
		(get) =>
			function (this: unknown, k: unknown, ...r: unknown[]) {
				counts.doRowsRead += keysOf(k);
				return get.call(this, k, ...r);
			},
	);
	patch(
		storage,
		"put",
		(put) =>
			function (this: unknown, k: unknown, ...r: unknown[]) {
				counts.doRowsWritten += typeof k === "object" && k !== null ? Object.keys(k).length : 1;
				return put.call(this, k, ...r);
			},
	);
	patch(
		storage,
		"delete",
		(del) =>
			function (this: unknown, k: unknown, ...r: unknown[]) {
				counts.doRowsWritten += keysOf(k);
				return del.call(this, k, ...r);
			},
	);
	patch(
		storage,
		"list",
		(list) =>
			async function (this: unknown, ...a: unknown[]) {
				const m = (await list.apply(this, a)) as Map<string, unknown>;
				counts.doRowsRead += m.size;
				return m;
			},
	);
}

export function countAlarm(): void {
	counts.doRequests++;
	counts.doAlarms++;
}

// --- Jobs in the consumer's hands ---------------------------------------------------------------

/**
 * When each task's first runnable attempt reached the consumer (Date.now() in this isolate, the
 * clock the ProcessObject stamps its commits with), by task id: the instant the answer carrying
 * the job resolved, in the microtask turn before the consumer's own continuation starts the job.
 * Retries keep the first hand-over (the latency is to the first run).
 */
const handedOver = new Map<string, { at: number; via: HandOver }>();

/**
 * When each task's completion left the consumer (its CompleteTask sent to the object), by task
 * id: the start of the Workflows peer's "step to step" interval, for the comparable figure.
 */
const completionSent = new Map<string, number>();

/** The instants recorded since the last call, and forgets them (one run at a time). */
export function takeJobTimings(): JobTimings {
	const out = { handedOver: new Map(handedOver), completionSent: new Map(completionSent) };
	handedOver.clear();
	completionSent.clear();
	return out;
}

interface Sent {
	command?: { type?: unknown; taskId?: unknown };
}
interface Answered {
	ok?: boolean;
	reply?: { run?: unknown; next?: { taskId?: unknown }[] };
}

function noteHandOver(command: Sent["command"], answer: Answered | undefined, at: number): void {
	if (!command || !answer?.ok) return;
	const note = (taskId: unknown, via: HandOver) => {
		if (typeof taskId === "string" && !handedOver.has(taskId)) handedOver.set(taskId, { at, via });
	};
	if (command.type === "ClaimTask" && answer.reply?.run === true) note(command.taskId, "queue");
	if (command.type === "CompleteTask" && Array.isArray(answer.reply?.next))
		for (const job of answer.reply.next) note(job.taskId, "completion");
}

/**
 * Watches the answers of `execute` / `executeBatch` (the consumer's only way to claim and complete)
 * for jobs handed to the caller. Our `then` runs in the same turn of the event loop as the
 * caller's `await` (no I/O between them, and workerd's clock moves only with I/O), so Date.now()
 * there is the instant the caller has the job.
 */
function watchHandOvers(method: string, args: unknown[], result: unknown): void {
	if (method !== "execute" && method !== "executeBatch") return;
	const commands: Sent[] =
		method === "execute" ? [{ command: args[0] as Sent["command"] }] : ((args[0] as Sent[]) ?? []);
	if (!commands.some((c) => c.command?.type === "ClaimTask" || c.command?.type === "CompleteTask"))
		return;
	const sent = Date.now();
	for (const { command } of commands)
		if (command?.type === "CompleteTask" && typeof command.taskId === "string")
			if (!completionSent.has(command.taskId)) completionSent.set(command.taskId, sent);
	Promise.resolve(result).then(
		(answer) => {
			const at = Date.now();
			const answers = (method === "execute" ? [answer] : answer) as Answered[];
			if (!Array.isArray(answers)) return;
			for (const [i, c] of commands.entries()) noteHandOver(c.command, answers[i], at);
		},
		// The caller sees and handles the failure; nothing was handed over.
		() => {},
	);
}

// --- Bindings ----------------------------------------------------------------------------------

/**
 * A stub whose every RPC call and `fetch` counts a Durable Object request, and whose answers
 * handing a job to the consumer are timed (watchHandOvers).
 */
function meterStub<T extends object>(stub: T): T {
	return new Proxy(stub, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target) as unknown;
			// `then` must stay undefined (a stub is not a promise); ids and names are plain values.
			if (typeof prop === "symbol" || prop === "then" || typeof value !== "function") return value;
			return (...args: unknown[]) => {
				counts.doRequests++;
				// An RPC method stub answers every property (`apply` too) as a remote method.
				const result = Reflect.apply(value as (...a: unknown[]) => unknown, target, args);
				watchHandOvers(prop, args, result);
				return result;
			};
		},
	});
}

function meterNamespace(ns: DurableObjectNamespace): DurableObjectNamespace {
	return new Proxy(ns, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			const f = value.bind(target) as (...a: unknown[]) => unknown;
			if (prop === "get" || prop === "getByName")
				return (...a: unknown[]) => meterStub(f(...a) as object);
			return f;
		},
	});
}

function meterQueue(queue: Queue): Queue {
	return new Proxy(queue, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			const f = value.bind(target) as (...a: unknown[]) => unknown;
			if (prop === "send")
				return (body: unknown, ...r: unknown[]) => {
					counts.queueWrites += queueUnits(body);
					return f(body, ...r);
				};
			if (prop === "sendBatch")
				return (messages: Iterable<{ body: unknown }>, ...r: unknown[]) => {
					const list = [...messages];
					for (const m of list) counts.queueWrites += queueUnits(m.body);
					return f(list, ...r);
				};
			return f;
		},
	});
}

function meterBucket(bucket: R2Bucket): R2Bucket {
	const classA = new Set(["put", "list", "createMultipartUpload", "resumeMultipartUpload"]);
	const classB = new Set(["get", "head"]);
	return new Proxy(bucket, {
		get(target, prop) {
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			const f = value.bind(target) as (...a: unknown[]) => unknown;
			return (...a: unknown[]) => {
				if (classA.has(String(prop))) counts.r2ClassA++;
				else if (classB.has(String(prop))) counts.r2ClassB++;
				return f(...a);
			};
		},
	});
}

const isNamespace = (v: unknown): v is DurableObjectNamespace =>
	typeof v === "object" && v !== null && "idFromName" in v && "get" in v;
const isQueue = (v: unknown): v is Queue =>
	typeof v === "object" && v !== null && "sendBatch" in v && "send" in v;
const isBucket = (v: unknown): v is R2Bucket =>
	typeof v === "object" && v !== null && "createMultipartUpload" in v;

const meteredEnvs = new WeakMap<object, object>();

/** `env` with its Durable Object namespaces, queues and R2 buckets metered (D1: `meterD1`). */
export function meterEnv<E extends object>(env: E): E {
	const known = meteredEnvs.get(env);
	if (known) return known as E;
	if (METERED) meterD1(env);
	const wrapped: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(env)) {
		if (isNamespace(value)) wrapped[key] = meterNamespace(value);
		else if (!METERED) wrapped[key] = value;
		else if (isQueue(value)) wrapped[key] = meterQueue(value);
		else if (isBucket(value)) wrapped[key] = meterBucket(value);
		else wrapped[key] = value;
	}
	meteredEnvs.set(env, wrapped);
	return wrapped as E;
}

/** A queue batch whose deliveries, acks and retries are counted; the handler's ack is implicit. */
export function meterBatch(batch: MessageBatch<unknown>): {
	batch: MessageBatch<unknown>;
	done(): void;
} {
	if (!METERED) return { batch, done: () => undefined };
	const settled = new Set<Message<unknown>>();
	const units = new Map<Message<unknown>, number>();
	for (const m of batch.messages) {
		const u = queueUnits(m.body);
		units.set(m, u);
		counts.queueReads += u;
	}
	let retryAll = false;
	const messages = batch.messages.map(
		(m) =>
			new Proxy(m, {
				get(target, prop) {
					const value = Reflect.get(target, prop, target);
					if (typeof value !== "function") return value;
					const f = value.bind(target) as (...a: unknown[]) => unknown;
					if (prop === "ack")
						return (...a: unknown[]) => {
							if (!settled.has(target)) counts.queueDeletes += units.get(target) ?? 1;
							settled.add(target);
							return f(...a);
						};
					if (prop === "retry")
						return (...a: unknown[]) => {
							settled.add(target);
							return f(...a);
						};
					return f;
				},
			}),
	);
	const metered = new Proxy(batch, {
		get(target, prop) {
			if (prop === "messages") return messages;
			const value = Reflect.get(target, prop, target);
			if (typeof value !== "function") return value;
			const f = value.bind(target) as (...a: unknown[]) => unknown;
			if (prop === "ackAll")
				return () => {
					for (const m of batch.messages)
						if (!settled.has(m)) counts.queueDeletes += units.get(m) ?? 1;
					for (const m of batch.messages) settled.add(m);
					return f();
				};
			if (prop === "retryAll")
				return (...a: unknown[]) => {
					retryAll = true;
					return f(...a);
				};
			return f;
		},
	});
	return {
		batch: metered,
		// A handler that returns without throwing acknowledges every message it did not settle.
		done() {
			if (retryAll) return;
			for (const m of batch.messages) if (!settled.has(m)) counts.queueDeletes += units.get(m) ?? 1;
		},
	};
}

// --- D1 ----------------------------------------------------------------------------------------

interface D1Answer {
	meta?: { rows_read?: number; rows_written?: number };
}
let d1Patched = false;

function countD1(queries: string[], answer: unknown): void {
	const results = (Array.isArray(answer) ? answer : [answer]) as D1Answer[];
	results.forEach((r, i) => {
		if (queries[i]?.includes(BENCH_TAG)) return;
		counts.d1Queries++;
		counts.d1RowsRead += r?.meta?.rows_read ?? 0;
		counts.d1RowsWritten += r?.meta?.rows_written ?? 0;
	});
}

/**
 * Counts the rows of every D1 statement at the one place workerd's D1 binding receives results
 * with their meta: the session class both `prepare()` and `withSession()` use.
 */
function meterD1(env: object): void {
	if (d1Patched) return;
	for (const value of Object.values(env)) {
		if (typeof value !== "object" || value === null || !("withSession" in value)) continue;
		const session = (value as D1Database).withSession();
		let proto = Object.getPrototypeOf(session) as Record<string, unknown> | null;
		while (proto && !Object.hasOwn(proto, "_sendOrThrow")) proto = Object.getPrototypeOf(proto);
		if (!proto) throw new Error("D1 binding without _sendOrThrow: cannot meter D1 rows");
		const send = proto._sendOrThrow as (...a: unknown[]) => Promise<unknown>;
		proto._sendOrThrow = async function (
			this: unknown,
			endpoint: unknown,
			query: string | string[],
			...rest: unknown[]
		) {
			const answer = await send.call(this, endpoint, query, ...rest);
			countD1(Array.isArray(query) ? query : [query], answer);
			return answer;
		};
		const rpc = proto._queryOrThrow as ((...a: unknown[]) => Promise<unknown>) | undefined;
		if (rpc) {
			proto._queryOrThrow = async function (
				this: unknown,
				request: { queries: { sql: string }[] },
				...rest: unknown[]
			) {
				const answer = await rpc.call(this, request, ...rest);
				countD1(
					request.queries.map((q) => q.sql),
					answer,
				);
				return answer;
			};
		}
		d1Patched = true;
		return;
	}
}
