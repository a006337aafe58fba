// Every API operation's declared scope is the one enforced (issue #13): for each operation of the
// table the OpenAPI document is made from, a token with every scope but that one is refused with
// 403 naming it, and a token with that scope alone passes the check (whatever the handler then
// answers about the missing object). And every route the API serves is a documented operation.
import { describe, expect, it } from "vitest";
import { API_SCOPES } from "../../src/auth/api-tokens.ts";
import { scopeFor } from "../../src/http/middleware/scopes.ts";
import { apiOperations } from "../../src/http/openapi.ts";
import { apiV1 } from "../../src/http/routes/api/index.ts";
import { apiUser, json } from "./api-fixtures.ts";

const SAMPLE: Record<string, string> = {
	processId: "p-00000000000000000000000000000000",
	taskId: "p-00000000000000000000000000000000%2Ft1",
	workflowKey: "no-such-workflow",
	key: "no-such-trigger",
	id: "no-such-delivery",
};

function concrete(path: string): string {
	return path.replace(/\{([^}]+)\}/g, (_, name: string) => SAMPLE[name] ?? "x");
}

/** A Hono path (`/tasks/:id{regex with {braces}}/values`) as a template (`/tasks/{id}/values`). */
function templateOf(path: string): string {
	let out = "";
	for (let i = 0; i < path.length; i++) {
		const param = /^:(\w+)/.exec(path.slice(i));
		if (!param) {
			out += path[i];
			continue;
		}
		out += `{${param[1]}}`;
		i += param[0].length;
		if (path[i] === "{") {
			let depth = 0;
			for (; i < path.length; i++) {
				if (path[i] === "{") depth++;
				else if (path[i] === "}" && --depth === 0) break;
			}
		} else i--;
	}
	return out;
}

describe("API scopes", () => {
	it.each(apiOperations.map((op) => [op.operationId, op] as const))(
		"%s: a token lacking its declared scope is refused, one with it alone is let through",
		async (_id, op) => {
			const path = concrete(op.path);
			const method = op.method.toUpperCase();
			const body = method === "GET" || method === "DELETE" ? undefined : {};
			const without = await apiUser({
				isAdmin: true,
				scopes: API_SCOPES.filter((s) => s !== op.scope),
			});
			const refused = await json<{ code: string; details?: { needed?: string } }>(without, path, {
				method,
				...(body ? { body } : {}),
			});
			expect(refused.status).toBe(403);
			expect(refused.body.details?.needed).toBe(op.scope);

			const only = await apiUser({ isAdmin: op.scope === "admin", scopes: [op.scope] });
			const passed = await json<{ details?: { needed?: string } }>(only, path, {
				method,
				...(body ? { body } : {}),
			});
			expect(passed.body?.details?.needed).toBeUndefined();
		},
	);

	it("serves no API route that is not a documented operation", () => {
		const documented = new Set(
			apiOperations.map((op) => `${op.method.toUpperCase()} ${op.path.replace(/^\/api\/v1/, "")}`),
		);
		const served = apiV1.routes
			.filter((r) => r.method !== "ALL" && r.path !== "/openapi.json")
			.map((r) => `${r.method} ${templateOf(r.path)}`);
		const undocumented = served.filter(
			(r) =>
				![...documented].some((d) => d.replace(/\{\w+\}/g, "{}") === r.replace(/\{\w+\}/g, "{}")),
		);
		expect(undocumented).toEqual([]);
		expect(served.length).toBe(documented.size);
	});
});

const needed = scopeFor(apiOperations);

describe("operation scopes", () => {
	it("finds each operation's declared scope by method and path", () => {
		expect(needed("GET", "/api/v1/processes")).toBe("read");
		expect(needed("HEAD", "/api/v1/processes")).toBe("read");
		expect(needed("POST", "/api/v1/processes")).toBe("processes:write");
		expect(needed("POST", "/api/v1/processes/p-1/stop")).toBe("processes:write");
		expect(needed("POST", "/api/v1/tasks/p-1/t2/values")).toBe("tasks:write");
		expect(needed("POST", "/api/v1/workflows/validate")).toBe("read");
		expect(needed("POST", "/api/v1/workflows")).toBe("admin");
		expect(needed("POST", "/api/v1/messages")).toBe("messages:publish");
		expect(needed("POST", "/api/v1/fetch-and-lock")).toBe("external-tasks");
		expect(needed("POST", "/api/v1/external-tasks/p-1/t2/extend-lock")).toBe("external-tasks");
	});

	it("reads subprocess ids with their slashes, and answers nothing for a path no operation has", () => {
		expect(needed("GET", "/api/v1/processes/p-1/t1/p1")).toBe("read");
		expect(needed("POST", "/api/v1/tasks/p-1/t1/p1/t3/claim")).toBe("tasks:write");
		expect(needed("POST", "/api/v1/tasksx")).toBeUndefined();
		expect(needed("PUT", "/api/v1/processes")).toBeUndefined();
	});
});
