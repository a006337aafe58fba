// `npm run bench:submit`: how long a person waits between pressing Submit on a task form and seeing
// the next page, against a running `npm start` on 127.0.0.1. It signs in as the demo admin,
// publishes a workflow of two forms in a row, and for each of `--n` processes opens the first
// form, submits it (timing the POST until its 303) and opens the page it leads to (timing the GET).
//
//   --url http://127.0.0.1:8787   --n 40   --email admin@baton.local   --password baton-demo
import { performance } from "node:perf_hooks";
import { arg, percentile } from "./common.ts";

const base = arg("url", "http://127.0.0.1:8787").replace(/\/$/, "");
if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(new URL(base).hostname)) {
	throw new Error(`this script only targets this machine (127.0.0.1), not ${base}`);
}
const n = Math.min(500, Number(arg("n", "40")));
const email = arg("email", "admin@baton.local");
const password = arg("password", "baton-demo");
const key = `submit${Date.now().toString(36)}`;

const cookies = new Map<string, string>();
let csrf = "";

async function http(path: string, init: { form?: Record<string, string>; json?: unknown } = {}) {
	const headers: Record<string, string> = {
		origin: base,
		cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; "),
		...(csrf ? { "x-csrf-token": csrf } : {}),
	};
	let body: string | undefined;
	if (init.form) {
		headers["content-type"] = "application/x-www-form-urlencoded";
		body = new URLSearchParams(init.form).toString();
	} else if (init.json !== undefined) {
		headers["content-type"] = "application/json";
		body = JSON.stringify(init.json);
	}
	const res = await fetch(`${base}${path}`, {
		method: body === undefined ? "GET" : "POST",
		headers,
		body,
		redirect: "manual",
	});
	for (const c of res.headers.getSetCookie()) {
		const [pair] = c.split(";");
		const eq = pair?.indexOf("=") ?? -1;
		if (pair && eq > 0) cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
	}
	return { status: res.status, location: res.headers.get("location"), text: await res.text() };
}

const hidden = (html: string, name: string) =>
	new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1] ?? "";

const signInPage = await http("/sign-in");
const signedIn = await http("/sign-in", {
	form: { email, password, _csrf: hidden(signInPage.text, "_csrf"), next: "/" },
});
if (signedIn.status !== 303 && signedIn.status !== 302) {
	throw new Error(`sign-in failed (${signedIn.status}): is \`npm start\` running with the demo?`);
}
csrf = hidden((await http("/account")).text, "_csrf");

const form = (label: string) => ({
	task: "ask",
	params: { questions: { note: { label, required: true } } },
});
const published = await http("/api/v1/workflows", {
	json: {
		key,
		name: "Submit latency",
		nodes: [
			{ key: "first", ...form("First note"), start: true },
			{ key: "second", ...form("Second note"), end: true },
		],
		transitions: [{ from: "first", to: "second" }],
	},
});
if (published.status !== 201) throw new Error(`publish: ${published.status} ${published.text}`);

const post: number[] = [];
const next: number[] = [];
let landedOnNextTask = 0;
for (let i = 0; i < n; i++) {
	const started = await http("/api/v1/processes", { json: { workflowKey: key } });
	const processId = (JSON.parse(started.text) as { processId: string }).processId;
	const taskHref = `/tasks/${encodeURIComponent(`${processId}/t1`)}`;
	let page = await http(taskHref);
	for (let tries = 0; !page.text.includes('name="note"') && tries < 100; tries++) {
		await new Promise((r) => setTimeout(r, 20));
		page = await http(taskHref);
	}
	const t0 = performance.now();
	const submitted = await http(`${taskHref}/input`, {
		form: { _csrf: hidden(page.text, "_csrf"), _nonce: hidden(page.text, "_nonce"), note: `n${i}` },
	});
	const t1 = performance.now();
	if (submitted.status !== 303 || !submitted.location) {
		throw new Error(`submit ${i}: ${submitted.status} ${submitted.text.slice(0, 300)}`);
	}
	await http(submitted.location);
	const t2 = performance.now();
	post.push(t1 - t0);
	next.push(t2 - t0);
	if (submitted.location.includes("%2Ft2")) landedOnNextTask++;
}

const fmt = (xs: number[]) =>
	`p50 ${percentile(xs, 50)?.toFixed(0)} ms, p95 ${percentile(xs, 95)?.toFixed(0)} ms`;
console.log(`${n} submits against ${base}`);
console.log(`  POST /tasks/:id/input until its 303: ${fmt(post)}`);
console.log(`  submit → next page shown:           ${fmt(next)}`);
console.log(`  landed on the next task of the same process: ${landedOnNextTask} of ${n}`);
