// One Durable Object per (message name, correlation key): the one place where the messages of that
// name and key meet the tasks waiting for them (N1, N2), so that each message goes to exactly one
// waiting task or is kept, never lost or doubled. docs/architecture.md, "Messages", has the design.
import { DurableObject } from "cloudflare:workers";
import { AlarmClock } from "../durable/alarm-clock.ts";
import { processStub } from "../durable/process-client.ts";
import type { DeliverReply } from "../engine/index.ts";
import { BoxStore, type Delivery, type MessageRow } from "./box-store.ts";
import type {
	BoxContents,
	BoxMessage,
	BoxOutcome,
	BoxStatus,
	MessageBoxRpc,
	Subscriber,
} from "./message.ts";

export class MessageBox extends DurableObject<Env> implements MessageBoxRpc {
	private readonly store: BoxStore;
	private readonly alarmClock: AlarmClock;
	/** The delivery round running now; there is never more than one (see `deliver`). */
	private delivering: Promise<void> | undefined;
	private failedRounds = 0;

	constructor(ctx: DurableObjectState, env: Env) {
		super(ctx, env);
		this.store = new BoxStore(ctx.storage.sql);
		this.alarmClock = new AlarmClock(ctx.storage);
	}

	/**
	 * N2: the message goes to the task that has waited longest, or is kept (unless `keep` is off).
	 * The same id again answers what became of the first (a replayed outbox, a client's retry).
	 */
	async publish(message: BoxMessage): Promise<BoxOutcome> {
		this.store.rememberIdentity(message.name, message.correlationKey);
		const known = this.store.find(message.id);
		if (!known) {
			this.store.keep(message, Date.now());
			await this.armIfDeliverable();
		}
		// A kept message seen again may be one whose delivery failed: this is a good time to retry.
		if (!known || known.status === "kept") await this.deliver();
		const row = this.store.find(message.id);
		if (!row) throw new Error(`message ${message.id} vanished from its box`);
		return { ...outcomeOf(row), duplicate: known !== undefined };
	}

	/**
	 * N1: a task waits. The answer does not wait for a kept message to reach it: the caller is the
	 * task's own process, sending its outbox, and the delivery comes back to it as a command.
	 */
	async subscribe(subscriber: Subscriber): Promise<void> {
		this.store.rememberIdentity(subscriber.name, subscriber.correlationKey);
		this.store.addSubscriber(subscriber);
		if (await this.armIfDeliverable()) this.ctx.waitUntil(this.deliver());
	}

	/** The task stopped waiting without a message (revoked, or its host ended). */
	async unsubscribe(processId: string, taskId: string): Promise<void> {
		this.store.removeSubscriber(processId, taskId);
	}

	async contents(): Promise<BoxContents> {
		return this.store.contents();
	}

	/** Retries a delivery that failed, expires what outlived its time-to-live, forgets old ids. */
	override async alarm(): Promise<void> {
		this.alarmClock.fired();
		await this.deliver();
		this.store.forget(Date.now());
		await this.rearm();
	}

	/**
	 * When a delivery can be made, the alarm is armed first (the output gate holds the answer until
	 * it is stored), so a box that dies before it delivers wakes up and does it.
	 */
	private async armIfDeliverable(): Promise<boolean> {
		if (!this.store.nextDelivery(Date.now())) return false;
		await this.alarmClock.armSafetyNet(Date.now());
		return true;
	}

	/**
	 * A delivery round: pairs and delivers, one message at a time, until nothing is left to pair.
	 * A call that comes while a round runs joins it: the round re-reads the tables after every
	 * delivery, so it sees what the call wrote. A failed delivery is not thrown to the callers: it
	 * stays offered, and the alarm (backing off) asks again.
	 */
	private deliver(): Promise<void> {
		this.delivering ??= this.deliverAll()
			.then(
				() => {
					this.failedRounds = 0;
				},
				(e: unknown) => {
					this.failedRounds++;
					console.error(JSON.stringify({ level: "warn", where: "message-box", error: String(e) }));
				},
			)
			.finally(() => {
				this.delivering = undefined;
			})
			.then(() => this.rearm());
		return this.delivering;
	}

	private async deliverAll(): Promise<void> {
		const identity = this.store.identity();
		if (!identity) return;
		for (;;) {
			const next = this.store.nextDelivery(Date.now());
			if (!next) break;
			if (!next.offered) this.store.offer(next);
			await this.alarmClock.armSafetyNet(Date.now());
			if (await this.send(next, identity)) this.store.delivered(next);
			else this.store.refused(next);
		}
		this.store.settle(Date.now());
	}

	/**
	 * DeliverMessage, keyed by message and task: sent again after a lost answer, the process
	 * answers as the first time, so the box learns whether the task took it (never guesses).
	 */
	private async send(
		d: Delivery,
		{ name, correlationKey }: { name: string; correlationKey: string },
	): Promise<boolean> {
		const answer = await processStub(this.env, d.processId).execute(
			{
				type: "DeliverMessage",
				taskId: d.taskId,
				messageId: d.messageId,
				name,
				correlationKey,
				payload: d.payload,
			},
			`message:${d.messageId}:${d.taskId}`,
		);
		// An engine refusal (no such process, or it has ended) means the task does not wait either.
		return answer.ok && (answer.reply as DeliverReply | undefined)?.delivered === true;
	}

	/** The alarm: soon while a delivery is in flight (backing off), else the next expiry. */
	private async rearm(): Promise<void> {
		await this.alarmClock.plan(
			Date.now(),
			this.store.hasOffer(),
			this.failedRounds,
			this.store.nextWakeAt(),
		);
	}
}

function outcomeOf(row: MessageRow): BoxStatus {
	switch (row.status) {
		case "delivered":
			return {
				status: "delivered",
				processId: row.deliveredProcess ?? "",
				taskId: row.deliveredTask ?? "",
			};
		case "kept":
			return { status: "kept", expiresAt: row.expiresAt };
		case "expired":
			return { status: "expired", expiresAt: row.expiresAt };
		case "discarded":
			return { status: "discarded" };
	}
}
