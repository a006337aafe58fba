// Starts Baton for the browser tests: a fresh local state directory, the D1 migrations applied to
// it with wrangler's own command, then the Worker through `unstable_startWorker` (port 0, no
// inspector, no watching) with a test session key and the demo seed switched on. The first request
// seeds the demo (src/demo/seed.ts). The Worker's log is kept and printed when a test file fails.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { unstable_startWorker } from "wrangler";

declare module "vitest" {
	interface ProvidedContext {
		baseURL: string;
	}
}

export default async function setup(project: TestProject) {
	process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false"; // no network: skip fetching Request.cf
	process.env.WRANGLER_SEND_METRICS ??= "false";
	const started = performance.now();
	const state = mkdtempSync(join(tmpdir(), "baton-e2e-"));
	const migrate = spawnSync(
		"npx",
		["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state],
		{ encoding: "utf8", env: process.env },
	);
	if (migrate.status !== 0) {
		throw new Error(`D1 migrations failed:\n${migrate.stdout}\n${migrate.stderr}`);
	}
	const worker = await unstable_startWorker({
		config: "wrangler.toml",
		dev: {
			server: { hostname: "127.0.0.1", port: 0 },
			inspector: false,
			watch: false,
			persist: state,
			logLevel: "warn",
		},
		bindings: {
			DEMO_SEED: { type: "plain_text", value: "on" },
			// Notifications: no digest window, so each test's mail arrives at once (docs/notifications.md).
			NOTIFY_DIGEST_MINUTES: { type: "plain_text", value: "0" },
			SESSION_KEYS: {
				type: "plain_text",
				value: JSON.stringify([{ kid: "e2e", secret: "e2e-session-secret-0123456789abcdefghij" }]),
			},
		},
	});
	await worker.ready;
	const url = await worker.url;
	// The first request seeds the demo workflows and people.
	const seeded = await fetch(new URL("/sign-in", url));
	if (!seeded.ok) throw new Error(`The Worker did not answer /sign-in: ${seeded.status}`);
	console.log(
		`[e2e] Baton ready at ${url.origin} in ${Math.round(performance.now() - started)} ms (state ${state})`,
	);
	project.provide("baseURL", url.origin);
	return async () => {
		await worker.dispose();
		rmSync(state, { recursive: true, force: true });
	};
}
