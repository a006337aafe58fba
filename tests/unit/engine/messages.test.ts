// N1 (message waits), N2 (send), S4 (message starts) and E1 (event-based gateways).
import { describe, expect, it } from "vitest";
import { build, n, t } from "../helpers/builder.ts";
import { admin, ProcessRun } from "../helpers/harness.ts";

const END = { end: true, task: "dummy", inline: true } as const;
const form = { startForm: { order: { type: "text" as const, label: "Order" } } };

describe("messages", () => {
	it("N1 a message wait subscribes to its name and FEEL key, and takes a matching message once", () => {
		const wf = build(
			[
				n("paid", {
					start: true,
					task: "message",
					params: { message: "invoice-paid", correlationKey: "= params.order" },
				}),
				n("ship", END),
			],
			[t("paid", "ship")],
			form,
		);
		const run = new ProcessRun(wf, { params: { order: "42" } }).start();
		const wait = run.task("paid");
		expect(wait.message).toEqual({ name: "invoice-paid", correlationKey: "42" });
		expect(run.effects).toEqual([
			{ type: "Subscribe", taskId: wait.id, name: "invoice-paid", correlationKey: "42" },
		]);
		const deliver = (name: string, correlationKey: string) =>
			run.send({
				type: "DeliverMessage",
				taskId: wait.id,
				messageId: "m1",
				name,
				correlationKey,
				payload: { amount: 10 },
			});
		deliver("invoice-paid", "41");
		expect(run.reply).toEqual({ delivered: false });
		deliver("other", "42");
		expect(run.reply).toEqual({ delivered: false });
		expect(run.task("paid").status).toBe("STARTED");
		deliver("invoice-paid", "42");
		expect(run.reply).toEqual({ delivered: true });
		expect(run.task("paid")).toMatchObject({ status: "SUCCESS", result: { amount: 10 } });
		expect(run.state.status).toBe("SUCCESS");
		deliver("invoice-paid", "42");
		expect(run.reply).toEqual({ delivered: false });
	});

	it("N1 a revoked wait unsubscribes", () => {
		const wf = build(
			[
				n("paid", {
					start: true,
					end: true,
					task: "message",
					params: { message: "x", correlationKey: "k" },
				}),
			],
			[],
		);
		const run = new ProcessRun(wf).start();
		run.send({ type: "RevokeTask", taskId: run.task("paid").id, actor: admin });
		expect(run.effects).toContainEqual({
			type: "Unsubscribe",
			taskId: run.task("paid").id,
			name: "x",
			correlationKey: "k",
		});
	});

	it("N2 a send task publishes once per attempt with an id derived from the task, and succeeds", () => {
		const wf = build(
			[
				n("tell", {
					start: true,
					task: "send",
					params: {
						message: "order-placed",
						correlationKey: "= params.order",
						payload: "= { order: params.order, total: 3 * 4 }",
						ttl: "P1D",
					},
				}),
				n("done", END),
			],
			[t("tell", "done")],
			form,
		);
		const run = new ProcessRun(wf, { params: { order: "A-1" } }).start();
		const tell = run.task("tell");
		expect(run.effects).toContainEqual({
			type: "PublishMessage",
			taskId: tell.id,
			messageId: `${tell.id}#1`,
			name: "order-placed",
			correlationKey: "A-1",
			payload: { order: "A-1", total: 12 },
			ttlSeconds: 86_400,
		});
		expect(tell).toMatchObject({ status: "SUCCESS", result: `${tell.id}#1` });
		expect(run.state.status).toBe("SUCCESS");
	});

	it("N1 a correlation key that gives a list fails the wait with CORRELATION_KEY_INVALID", () => {
		const wf = build(
			[
				n("paid", {
					start: true,
					end: true,
					task: "message",
					params: { message: "x", correlationKey: "= [1, 2]" },
				}),
			],
			[],
		);
		const run = new ProcessRun(wf).start();
		expect(run.task("paid")).toMatchObject({
			status: "FAILURE",
			error: { code: "CORRELATION_KEY_INVALID" },
		});
	});

	it("S4 a process started by a message: its start nodes catching that name take it at once", () => {
		const wf = build(
			[
				n("received", { start: true, task: "message", params: { message: "order" } }),
				n("handle", END),
			],
			[t("received", "handle")],
		);
		const run = new ProcessRun(wf, {
			startMessage: { id: "m-9", name: "order", payload: { sku: "x" } },
		}).start();
		expect(run.task("received")).toMatchObject({ status: "SUCCESS", result: { sku: "x" } });
		expect(run.state.status).toBe("SUCCESS");
		expect(run.state.startMessage).toBeUndefined();
		expect(run.effects.some((e) => e.type === "Subscribe")).toBe(false);
	});
});

describe("event-based gateway", () => {
	function race() {
		return build(
			[
				n("asked", { start: true, task: "dummy", inline: true, split: "event" }),
				n("answer", {
					task: "message",
					params: { message: "contract-signed", correlationKey: "c-1" },
				}),
				n("timeout", { task: "wait", params: { duration: "P30D" } }),
				n("proceed", END),
				n("giveUp", END),
			],
			[t("asked", "answer"), t("asked", "timeout"), t("answer", "proceed"), t("timeout", "giveUp")],
		);
	}

	it("E1 the first wait to happen wins; the others are revoked (and unsubscribed)", () => {
		const run = new ProcessRun(race()).start();
		expect(run.statuses()).toEqual(["asked:SUCCESS", "answer:STARTED", "timeout:STARTED"]);
		run.send({
			type: "DeliverMessage",
			taskId: run.task("answer").id,
			messageId: "m",
			name: "contract-signed",
			correlationKey: "c-1",
			payload: null,
		});
		expect(run.statuses()).toEqual([
			"asked:SUCCESS",
			"answer:SUCCESS",
			"timeout:REVOKED",
			"proceed:SUCCESS",
		]);
		expect(run.events.find((e) => e.type === "RaceWon")?.data).toEqual({
			revoked: [run.task("timeout").id],
		});
	});

	it("E1 when the timer wins, the message wait is revoked and unsubscribed", () => {
		const run = new ProcessRun(race()).start();
		run.now = run.task("timeout").timerDueAt as number;
		run.send({ type: "FireTimer", taskId: run.task("timeout").id });
		expect(run.task("answer").status).toBe("REVOKED");
		expect(run.effects).toContainEqual(
			expect.objectContaining({ type: "Unsubscribe", name: "contract-signed" }),
		);
		expect(run.state.status).toBe("SUCCESS");
	});
});
