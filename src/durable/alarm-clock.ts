// The ProcessObject's one alarm, kept in memory so a busy process does not read or rewrite it on
// every command. It fires for an outbox to retry, or for what the engine's nextWakeAt names: a
// timer due, a lease to expire, a dispatched job's claim deadline (T13).
// https://developers.cloudflare.com/durable-objects/api/alarms/

/** How soon the alarm retries an outbox that could not be sent, doubling up to a minute. */
export const OUTBOX_RETRY_MS = 1_000;
const OUTBOX_RETRY_MAX_MS = 60_000;

export class AlarmClock {
	private readonly storage: DurableObjectStorage;
	/** The alarm as last set or read (null: none); undefined until first read. */
	private armedAt: number | null | undefined;

	constructor(storage: DurableObjectStorage) {
		this.storage = storage;
	}

	/** workerd clears an alarm before calling alarm(). */
	fired(): void {
		this.armedAt = null;
	}

	async armed(): Promise<number | null> {
		if (this.armedAt === undefined) this.armedAt = await this.storage.getAlarm();
		return this.armedAt;
	}

	/** Reads storage again: a reschedule lost with a reset instance shows up as no alarm. */
	async reread(): Promise<number | null> {
		this.armedAt = await this.storage.getAlarm();
		return this.armedAt;
	}

	/** The safety net before a send: an alarm already armed to fire soon enough is left alone. */
	async armSafetyNet(now: number): Promise<void> {
		const net = now + OUTBOX_RETRY_MS;
		const armed = await this.armed();
		if (armed === null || armed > net) await this.set(net);
	}

	/**
	 * After a command or an alarm: the earliest of the outbox retry (backoff by failed drains) and
	 * the next timer or lease. While work is pending and the armed alarm fires no later than needed,
	 * it stays: moving it at every command would cost a write each time and, in a busy process,
	 * never let it fire.
	 */
	async plan(now: number, pending: boolean, failedDrains: number, wakeAt: number | undefined) {
		const retry = pending
			? now + Math.min(OUTBOX_RETRY_MS * 2 ** failedDrains, OUTBOX_RETRY_MAX_MS)
			: undefined;
		const next =
			retry === undefined ? wakeAt : wakeAt === undefined ? retry : Math.min(retry, wakeAt);
		const armed = await this.armed();
		if (next === undefined) {
			if (armed !== null) await this.set(null);
		} else if (pending && failedDrains === 0 && armed !== null && armed <= next) {
			return;
		} else if (armed !== next) {
			await this.set(next);
		}
	}

	private async set(at: number | null): Promise<void> {
		this.armedAt = at;
		if (at === null) await this.storage.deleteAlarm();
		else await this.storage.setAlarm(at);
	}
}
