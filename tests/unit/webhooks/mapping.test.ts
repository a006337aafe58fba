import { describe, expect, it } from "vitest";
import {
	applyMapping,
	parsePath,
	payloadMappingSchema,
	resolvePath,
} from "../../../src/webhooks/mapping.ts";

describe("source paths", () => {
	it("reads JSON pointers with RFC 6901 escapes", () => {
		expect(parsePath("")).toEqual([]);
		expect(parsePath("/order/id")).toEqual(["order", "id"]);
		expect(parsePath("/a~1b/c~0d")).toEqual(["a/b", "c~d"]);
		expect(parsePath("/items/0")).toEqual(["items", "0"]);
	});

	it("reads dotted paths", () => {
		expect(parsePath("order.items.0.sku")).toEqual(["order", "items", "0", "sku"]);
	});

	it("refuses malformed paths and prototype keys", () => {
		expect(parsePath("a..b")).toBeNull();
		expect(parsePath("/a~2")).toBeNull();
		expect(parsePath("/a~")).toBeNull();
		expect(parsePath("__proto__.polluted")).toBeNull();
		expect(parsePath("/constructor/prototype")).toBeNull();
	});

	it("resolves own properties and array indexes only", () => {
		const doc = { a: [{ b: 1 }], n: null };
		expect(resolvePath(doc, ["a", "0", "b"])).toBe(1);
		expect(resolvePath(doc, ["a", "01"])).toBeUndefined();
		expect(resolvePath(doc, ["n"])).toBeNull();
		expect(resolvePath(doc, ["toString"])).toBeUndefined();
		expect(resolvePath(doc, ["a", "length"])).toBeUndefined();
		expect(resolvePath("text", ["length"])).toBeUndefined();
	});
});

describe("the mapping schema (checked when a trigger is saved)", () => {
	it("accepts from/value/default/required/type", () => {
		const ok = payloadMappingSchema.safeParse({
			orderId: { from: "/order/id", type: "string", required: true },
			amount: { from: "order.total", type: "number", default: 0 },
			source: { value: "shop" },
			everything: { from: "" },
		});
		expect(ok.success).toBe(true);
	});

	it("reports every problem: names, both or neither source, bad paths, defaults of the wrong type", () => {
		const bad = payloadMappingSchema.safeParse({
			"1st": { from: "a" },
			__proto__x: { from: "a" },
			both: { from: "a", value: 1 },
			neither: {},
			path: { from: "a..b" },
			typed: { from: "a", type: "integer", default: 1.5 },
			extra: { from: "a", status: "SUCCESS" },
		});
		expect(bad.success).toBe(false);
		const paths = bad.error?.issues.map((i) => i.path.join("."));
		expect(paths).toEqual(
			expect.arrayContaining(["1st", "both", "neither", "path.from", "typed.default", "extra"]),
		);
	});

	it("refuses reserved param names", () => {
		const parsed = payloadMappingSchema.safeParse(JSON.parse('{"constructor": {"from": "a"}}'));
		expect(parsed.success).toBe(false);
	});
});

describe("applying a mapping to a payload (checked on every delivery)", () => {
	const mapping = payloadMappingSchema.parse({
		orderId: { from: "/order/id", type: "string", required: true },
		amount: { from: "order.total", type: "number", default: 0 },
		tags: { from: "/order/tags", type: "array" },
		source: { value: "shop" },
	});

	it("takes mapped values, defaults and constants, and nothing else", () => {
		const result = applyMapping(mapping, {
			order: { id: "A-1", tags: ["x"], secret: 1 },
			status: "SUCCESS",
		});
		expect(result).toEqual({
			ok: true,
			params: { orderId: "A-1", amount: 0, tags: ["x"], source: "shop" },
		});
	});

	it("reports every missing required value and every wrong type at once", () => {
		const result = applyMapping(mapping, { order: { total: "9", tags: {} } });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.problems.map((p) => p.param)).toEqual(["orderId", "amount", "tags"]);
		expect(result.problems[0]).toEqual({
			param: "orderId",
			from: "/order/id",
			message: "the payload has no value here",
		});
	});

	it("passes the whole payload with the empty pointer", () => {
		const whole = payloadMappingSchema.parse({ payload: { from: "" } });
		expect(applyMapping(whole, [1, 2])).toEqual({ ok: true, params: { payload: [1, 2] } });
	});

	it("cannot be steered into the prototype by the payload", () => {
		const m = payloadMappingSchema.parse({ x: { from: "a.b" } });
		const payload = JSON.parse('{"a": {"__proto__": {"b": 1}}}');
		const result = applyMapping(m, payload);
		expect(result).toEqual({ ok: true, params: {} });
		expect(({} as Record<string, unknown>).b).toBeUndefined();
	});
});
