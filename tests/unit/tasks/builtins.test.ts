import { describe, expect, it } from "vitest";
import type { TaskContext } from "../../../src/tasks/define-task.ts";
import { defaultRegistry } from "../../../src/tasks/registry.ts";

function ctx<P>(
	params: P,
	fetch: typeof globalThis.fetch = () => Promise.reject(new Error("offline")),
): TaskContext<P> {
	return {
		processId: "p1",
		taskId: "p1/t2",
		attempt: 1,
		idempotencyKey: "p1:p1/t2",
		params,
		signal: new AbortController().signal,
		progress: async () => {},
		log: () => {},
		fetch,
		secret: (name) => {
			if (name !== "PAYMENTS_TOKEN") throw new Error(`no secret ${name}`);
			return "tok_unit";
		},
	};
}

function runnable(name: string) {
	const type = defaultRegistry.getRunnable(name);
	if (!type) throw new Error(name);
	return type;
}

describe("built-in task types", () => {
	it("dummy returns null", () => {
		expect(runnable("dummy").run?.(ctx({}))).toBeNull();
	});

	it("add returns a + b and takes integers 0..999 only", () => {
		const add = runnable("add");
		expect(add.run?.(ctx({ a: 2, b: 2 }))).toBe(4);
		expect(add.params.safeParse({ a: 1, b: 1000 }).success).toBe(false);
		expect(add.params.safeParse({ a: 1 }).success).toBe(false);
	});

	it("question needs an answer from a person and returns it", () => {
		const q = runnable("question");
		expect(q.params.safeParse({ title: "Ready?" }).success).toBe(false);
		expect(q.run?.(ctx({ title: "Ready?", answer: "OK" }))).toBe("OK");
	});

	it("ask validates its questions and builds its form from them", () => {
		const ask = runnable("ask");
		expect(ask.params.safeParse({ questions: { a: { label: "A", type: "colour" } } }).success).toBe(
			false,
		);
		const form = ask.formFor?.({
			questions: { n: { label: "N", type: "integer", min: 1, required: true } },
		});
		expect(form?.safeParse({ n: 0 }).success).toBe(false);
		expect(form?.safeParse({ n: 2 }).success).toBe(true);
		expect(form?.safeParse({}).success).toBe(false);
	});

	it("wait needs until or duration, each well formed", () => {
		const wait = runnable("wait");
		expect(wait.mode).toBe("timer");
		expect(wait.params.safeParse({}).success).toBe(false);
		expect(wait.params.safeParse({ duration: "5m" }).success).toBe(true);
		expect(wait.params.safeParse({ duration: "soon" }).success).toBe(false);
		expect(wait.params.safeParse({ until: "2030-01-01" }).success).toBe(true);
	});

	it("subprocess and event wait inside the process", () => {
		expect(runnable("subprocess").mode).toBe("subprocess");
		expect(runnable("event").params.safeParse({ correlationKey: "" }).success).toBe(false);
	});
});

describe("http", () => {
	const http = runnable("http");
	const params = (extra: Record<string, unknown> = {}) =>
		http.params.parse({ url: "https://api.example.com/orders", ...extra }) as Record<
			string,
			unknown
		>;

	it("sends an Idempotency-Key and returns status, a few headers and the JSON body", async () => {
		let seen: Request | undefined;
		const fetch: typeof globalThis.fetch = async (input, init) => {
			seen = new Request(input, init);
			return new Response(JSON.stringify({ id: 7 }), {
				status: 201,
				headers: { "content-type": "application/json", "x-secret": "s" },
			});
		};
		const result = await http.run?.(ctx(params({ method: "POST", body: { a: 1 } }), fetch));
		expect(seen?.headers.get("idempotency-key")).toBe("p1:p1/t2");
		expect(seen?.method).toBe("POST");
		expect(await seen?.json()).toEqual({ a: 1 });
		expect(result).toEqual({
			status: 201,
			headers: { "content-type": "application/json" },
			body: { id: 7 },
		});
	});

	it("retries 5xx and network errors, fails 4xx for good", async () => {
		const status =
			(code: number): typeof globalThis.fetch =>
			async () =>
				new Response("no", { status: code });
		await expect(Promise.resolve(http.run?.(ctx(params(), status(503))))).rejects.toMatchObject({
			name: "RetryableTaskError",
			code: "HTTP_503",
		});
		await expect(Promise.resolve(http.run?.(ctx(params(), status(404))))).rejects.toMatchObject({
			name: "PermanentTaskError",
			code: "HTTP_404",
		});
		await expect(Promise.resolve(http.run?.(ctx(params())))).rejects.toMatchObject({
			name: "RetryableTaskError",
			code: "NETWORK",
		});
	});

	it("bounds the body kept in the result", async () => {
		const fetch: typeof globalThis.fetch = async () => new Response("x".repeat(200_000));
		const result = (await http.run?.(ctx(params(), fetch))) as { body: string };
		expect(result.body.length).toBe(64 * 1024);
	});

	it("T12 sends a header named as a secret with the secret's value, resolved in the run", async () => {
		let authorization: string | null = null;
		const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
			authorization = new Request(input, init).headers.get("Authorization");
			return Response.json({ ok: true });
		}) as typeof globalThis.fetch;
		const secretHeaders = {
			headers: { Authorization: { secret: "PAYMENTS_TOKEN", prefix: "Bearer " } },
		};
		await http.run?.(ctx(params(secretHeaders), fetch));
		expect(authorization).toBe("Bearer tok_unit");
	});

	it("T12 refuses a credential header written as a literal: name a secret instead", () => {
		const literal = http.params.safeParse({
			url: "https://api.example.com/",
			headers: { authorization: "Bearer abc" },
		});
		expect(literal.success).toBe(false);
		expect(JSON.stringify(literal.error?.issues)).toContain("name a secret");
		expect(
			http.params.safeParse({ url: "https://api.example.com/", headers: { Accept: "text/plain" } })
				.success,
		).toBe(true);
	});

	it("fails at once on a JSON response nested too deep to keep as a result", async () => {
		const deep = `${"[".repeat(100)}${"]".repeat(100)}`;
		const fetch: typeof globalThis.fetch = async () =>
			new Response(deep, { headers: { "content-type": "application/json" } });
		await expect(Promise.resolve(http.run?.(ctx(params(), fetch)))).rejects.toMatchObject({
			name: "PermanentTaskError",
			code: "RESPONSE_TOO_DEEP",
		});
	});

	it("accepts only http(s) URLs", () => {
		expect(http.params.safeParse({ url: "file:///etc/passwd" }).success).toBe(false);
	});
});
