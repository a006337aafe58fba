// A meter of the operations Cloudflare bills for running processes, counted where they happen in
// this workerd: calls into ProcessObjects and their alarms, their SQLite rows and alarm writes,
// queue messages and consumer invocations, D1 statements and rows. It wraps the prototypes the
// bindings and the object share, so it sees the Worker's and the objects' own calls alike.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import { ProcessObject } from "../../src/durable/process-object.ts";
import worker from "../../src/index.ts";

export interface Counts {
	/** Calls into a ProcessObject that the Worker and other objects make (reads by the test excluded). */
	processCalls: number;
	/** Of which: `executeBatch`, and the commands they carried. */
	batchCalls: number;
	/** Alarm invocations of ProcessObjects (billed as requests). */
	alarms: number;
	/** Commits that changed a process (a state row written). */
	commits: number;
	sqlRowsRead: number;
	sqlRowsWritten: number;
	/** `setAlarm` / `deleteAlarm` calls (each billed as a row written). */
	alarmWrites: number;
	/** Task messages sent (each billed as a write, a read and a delete). */
	queueMessages: number;
	/** Consumer invocations (one per delivered batch; billed as Worker requests). */
	queueBatches: number;
	d1Statements: number;
	d1RowsRead: number;
	d1RowsWritten: number;
}

/** Consumer batches seen, by queue name, with the processes of their messages. */
export type Deliveries = { queue: string; processIds: string[] }[];

type Method = (...args: unknown[]) => unknown;

function wrap(
	target: object,
	name: string,
	around: (call: () => unknown, args: unknown[]) => unknown,
) {
	const original = (target as Record<string, Method>)[name];
	if (typeof original !== "function") throw new Error(`no method ${name} to meter`);
	return vi.spyOn(target as Record<string, Method>, name).mockImplementation(function (
		this: unknown,
		...args: unknown[]
	) {
		return around(() => original.apply(this, args), args);
	});
}

export async function startMeter(): Promise<{
	counts: Counts;
	deliveries: Deliveries;
	stop(): Promise<Counts>;
}> {
	const counts: Counts = {
		processCalls: 0,
		batchCalls: 0,
		alarms: 0,
		commits: 0,
		sqlRowsRead: 0,
		sqlRowsWritten: 0,
		alarmWrites: 0,
		queueMessages: 0,
		queueBatches: 0,
		d1Statements: 0,
		d1RowsRead: 0,
		d1RowsWritten: 0,
	};
	const deliveries: Deliveries = [];
	const cursors: { rowsRead: number; rowsWritten: number }[] = [];
	const po = ProcessObject.prototype as unknown as object;
	for (const name of ["execute", "act", "createAndStart", "migrate", "reportExternal"]) {
		wrap(po, name, (call) => {
			counts.processCalls++;
			return call();
		});
	}
	wrap(po, "executeBatch", (call) => {
		counts.processCalls++;
		counts.batchCalls++;
		return call();
	});
	wrap(po, "alarm", (call) => {
		counts.alarms++;
		return call();
	});
	// The SQL and alarm prototypes are shared by every object of the isolate: reach them in one.
	const probe = env.PROCESS.getByName("meter-probe");
	const protos = await runInDurableObject(probe, (_instance, state) => ({
		sql: Object.getPrototypeOf(state.storage.sql) as object,
		storage: Object.getPrototypeOf(state.storage) as object,
	}));
	wrap(protos.sql, "exec", (call, args) => {
		const cursor = call() as { rowsRead: number; rowsWritten: number };
		cursors.push(cursor);
		if (/^\s*UPDATE process SET state/i.test(String(args[0]))) counts.commits++;
		return cursor;
	});
	for (const name of ["setAlarm", "deleteAlarm"]) {
		wrap(protos.storage, name, (call) => {
			counts.alarmWrites++;
			return call();
		});
	}
	wrap(Object.getPrototypeOf(env.TASKS) as object, "sendBatch", (call, args) => {
		counts.queueMessages += (args[0] as unknown[]).length;
		return call();
	});
	wrap(Object.getPrototypeOf(env.TASKS) as object, "send", (call) => {
		counts.queueMessages++;
		return call();
	});
	wrap(worker as object, "queue", (call, args) => {
		const batch = args[0] as MessageBatch<{ processId?: string }>;
		if (!batch.queue.endsWith("-dlq")) {
			counts.queueBatches++;
			deliveries.push({
				queue: batch.queue,
				processIds: batch.messages.map((m) => String(m.body?.processId)),
			});
		}
		return call();
	});
	const d1 = Object.getPrototypeOf(env.DB) as object;
	wrap(d1, "batch", async (call, args) => {
		counts.d1Statements += (args[0] as unknown[]).length;
		const results = (await call()) as D1Result[];
		for (const r of results) {
			counts.d1RowsRead += r.meta.rows_read ?? 0;
			counts.d1RowsWritten += r.meta.rows_written ?? 0;
		}
		return results;
	});
	const statement = Object.getPrototypeOf(env.DB.prepare("SELECT 1")) as object;
	for (const name of ["all", "run", "first", "raw"]) {
		wrap(statement, name, async (call) => {
			counts.d1Statements++;
			const result = (await call()) as { meta?: D1Meta } | null;
			counts.d1RowsRead += result?.meta?.rows_read ?? 0;
			counts.d1RowsWritten += result?.meta?.rows_written ?? 0;
			return result;
		});
	}
	return {
		counts,
		deliveries,
		async stop() {
			vi.restoreAllMocks();
			for (const c of cursors) {
				counts.sqlRowsRead += c.rowsRead;
				counts.sqlRowsWritten += c.rowsWritten;
			}
			return counts;
		},
	};
}
