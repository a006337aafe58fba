// The search box of /processes and /inbox takes up to 100 characters, whatever they are: D1 caps a
// LIKE pattern at 50 bytes, so a long search (or a short one of multi-byte characters or of
// escaped % and _) must not reach LIKE. Each needle finds the one process named with it, and
// nothing else; % and _ are literal; ASCII letters match in either case.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { startProcess } from "../../src/durable/process-client.ts";
import { makeUser, mintSession, send } from "./auth-fixtures.ts";
import { publish, waitFor, workflow } from "./process-fixtures.ts";

const ROLE = "search-role";
const KEY = "search-wf";

const NEEDLES = {
	ascii48: "searching for forty-eight bytes of plain ascii!!",
	e25: "é".repeat(25),
	emoji13: "🙂".repeat(13),
	percent25: "%".repeat(25),
	underscore30: "_".repeat(30),
	long100: `A hundred characters ${"long ".repeat(15)}`.padEnd(100, "z"),
} as const;

let user: { get: (path: string) => Promise<Response> };
/** The process id of each needle's process (its name is the needle itself), and of "plain". */
const ids = new Map<string, string>();

async function waitForIndexed(processId: string): Promise<void> {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const row = await env.DB.prepare(
			"SELECT count(*) AS n FROM tasks WHERE process_id = ? AND assignee IS NOT NULL",
		)
			.bind(processId)
			.first<{ n: number }>();
		if ((row?.n ?? 0) > 0) return;
		if (Date.now() > deadline) throw new Error(`process ${processId} not indexed`);
		await new Promise((r) => setTimeout(r, 25));
	}
}

beforeAll(async () => {
	const member = await makeUser({ roles: [ROLE], name: "seeker" });
	const session = await mintSession(member);
	user = { get: (path) => send(path, { headers: { Cookie: session.cookie } }) };
	await publish(
		workflow(
			KEY,
			[
				{
					key: "look",
					name: "Look it up",
					role: ROLE,
					task: "ask",
					start: true,
					params: { questions: { answer: { label: "Answer", required: true } } },
				},
				{ key: "end", task: "dummy", end: true },
			],
			[{ from: "look", to: "end" }],
			{ name: "Search workflow" },
		),
	);
	const names: [string, string][] = [...Object.entries(NEEDLES), ["plain", "Plain name"]];
	for (const [label, name] of names) {
		const { processId } = await startProcess(env, {
			workflowKey: KEY,
			startedBy: member.id,
			name,
		});
		ids.set(label, processId);
		await waitFor(processId, (v) => v.state.tasks.some((t) => t.assignee));
		await waitForIndexed(processId);
	}
});

const pages = ["/processes", "/inbox"] as const;

describe.each(pages)("the search of %s", (page) => {
	it.each(Object.entries(NEEDLES))(
		"finds the process named with %s, and only it",
		async (label, needle) => {
			const res = await user.get(`${page}?q=${encodeURIComponent(needle)}`);
			expect(res.status).toBe(200);
			const html = await res.text();
			const found = [...ids].filter(([, id]) => html.includes(id)).map(([l]) => l);
			expect(found).toEqual([label]);
		},
	);

	it("answers a 100-character search of 4-byte characters with no match, not an error", async () => {
		const res = await user.get(`${page}?q=${encodeURIComponent("🦄".repeat(50))}`);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect([...ids.values()].filter((id) => html.includes(id))).toEqual([]);
	});

	it("matches ASCII letters in either case", async () => {
		const res = await user.get(`${page}?q=PLAIN%20NAME`);
		expect(res.status).toBe(200);
		const html = await res.text();
		expect([...ids].filter(([, id]) => html.includes(id)).map(([l]) => l)).toEqual(["plain"]);
	});
});
