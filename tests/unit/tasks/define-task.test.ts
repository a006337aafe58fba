import { describe, expect, it } from "vitest";
import { z } from "zod";
import { DEFAULT_RETRY } from "../../../src/engine/index.ts";
import {
	defineTask,
	PermanentTaskError,
	RetryableTaskError,
} from "../../../src/tasks/define-task.ts";
import { builtinTaskTypes, createRegistry, defaultRegistry } from "../../../src/tasks/registry.ts";

describe("defineTask", () => {
	it("T6 defaults to job mode and 3 retries with exponential backoff", () => {
		const t = defineTask({ name: "x", params: z.object({}) });
		expect(t.mode).toBe("job");
		expect(t.retry).toEqual(DEFAULT_RETRY);
		expect(t.retry.limit).toBe(3);
		expect(defineTask({ name: "y", params: z.object({}), retry: { limit: 1 } }).retry).toEqual({
			...DEFAULT_RETRY,
			limit: 1,
		});
	});

	it("keeps the run function and hooks for the consumer", () => {
		const onRevoke = () => {};
		const t = defineTask({
			name: "x",
			params: z.object({ n: z.number() }),
			run: ({ params }) => params.n * 2,
			onRevoke,
		});
		expect(t.onRevoke).toBe(onRevoke);
		expect(typeof t.run).toBe("function");
	});

	it("distinguishes retryable and permanent task errors, with codes", () => {
		const r = new RetryableTaskError("later", { code: "BUSY" });
		const p = new PermanentTaskError("never");
		expect(r).toBeInstanceOf(Error);
		expect([r.name, r.code, p.name, p.code]).toEqual([
			"RetryableTaskError",
			"BUSY",
			"PermanentTaskError",
			undefined,
		]);
	});
});

describe("registry", () => {
	it("lists the built-ins by name and finds runnable task types", () => {
		expect(defaultRegistry.list().map((t) => t.name)).toEqual([
			"dummy",
			"ask",
			"http",
			"wait",
			"subprocess",
			"event",
			"add",
			"question",
			"message",
			"send",
			"error",
			"scope",
			"email",
		]);
		expect(defaultRegistry.getRunnable("add")?.run).toBeTypeOf("function");
		expect(defaultRegistry.get("nope")).toBeUndefined();
	});

	it("refuses a name registered twice", () => {
		expect(() => createRegistry([...builtinTaskTypes, builtinTaskTypes[0] as never])).toThrow(
			/twice/,
		);
	});

	it("K1 registers an external type for the engine's catalog, never as runnable by the queue", () => {
		const chargeCard = defineTask({
			name: "charge-card",
			mode: "external",
			params: z.object({ amount: z.number().meta({ title: "Amount" }) }),
			retry: { limit: 1 },
		});
		const registry = createRegistry([...builtinTaskTypes, chargeCard]);
		expect(registry.get("charge-card")).toMatchObject({
			mode: "external",
			retry: { ...DEFAULT_RETRY, limit: 1 },
		});
		expect(registry.list().map((t) => t.name)).toContain("charge-card");
		expect(registry.getRunnable("charge-card")).toBeUndefined();
	});

	it("K1 refuses code on an external type: its workers run it outside", () => {
		expect(() =>
			defineTask({
				name: "charge-card",
				mode: "external",
				params: z.object({}),
				run: () => null,
				onRevoke: () => {},
			}),
		).toThrow(/external: its workers run it, so it takes no run, onRevoke/);
	});
});
