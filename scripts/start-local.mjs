// `npm start`: Baton on http://localhost:8787 with local D1, Durable Objects and Queues (workerd).
// Writes local secrets if there are none, applies the D1 migrations, seeds the demo on first use,
// and plays the Cron Trigger, which `wrangler dev` does not run by itself (scheduled starts).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const env = {
	...process.env,
	// No network here or on most laptops behind a proxy: skip the Request.cf download and telemetry.
	CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
	WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false",
};
const port = process.env.PORT ?? "8787";

// wrangler's own entry, run by this Node (22, from npm): no npx in between, so a signal sent to
// this script reaches wrangler, and wrangler stops its workerd.
const wrangler = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

function run(args) {
	const result = spawnSync(process.execPath, [wrangler, ...args], {
		cwd: root,
		env,
		stdio: "inherit",
	});
	if (result.status !== 0) process.exit(result.status ?? 1);
}

if (existsSync(join(root, "scripts", "dev-secrets.mjs"))) {
	const secrets = spawnSync(process.execPath, ["scripts/dev-secrets.mjs"], {
		cwd: root,
		env,
		stdio: "inherit",
	});
	if (secrets.status !== 0) process.exit(secrets.status ?? 1);
}
run(["d1", "migrations", "apply", "DB", "--local"]);
console.log(`\nBaton: http://localhost:${port}  (demo sign-in: see docs/people.md)\n`);
const dev = spawn(
	process.execPath,
	[
		wrangler,
		"dev",
		"--ip",
		"127.0.0.1",
		"--port",
		port,
		"--var",
		"DEMO_SEED:on",
		...process.argv.slice(2),
	],
	{ cwd: root, env, stdio: "inherit" },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));

// wrangler dev only warns that it does not run Cron Triggers; miniflare runs the Worker's
// `scheduled` handler on a request to /cdn-cgi/local/scheduled. So this script ticks for it: on
// every minute, with that minute as the scheduled time, like wrangler.toml's "* * * * *" deployed.
const tick = `http://127.0.0.1:${port}/cdn-cgi/local/scheduled?cron=${encodeURIComponent("* * * * *")}`;
function tickEveryMinute() {
	const now = Date.now();
	const minute = Math.floor(now / 60_000) * 60_000 + 60_000;
	const timer = setTimeout(async () => {
		try {
			const res = await fetch(`${tick}&time=${minute}`);
			if (!res.ok) console.error(`Baton: the scheduled tick answered ${res.status}`);
		} catch {
			// wrangler is still starting, or reloading after an edit: the next minute ticks again.
		}
		tickEveryMinute();
	}, minute - now);
	// Only wrangler keeps this script alive; its exit ends the script.
	timer.unref();
}
tickEveryMinute();
console.log("Baton: scheduled starts tick every minute (this script calls the Cron Trigger).\n");
dev.on("exit", (code) => process.exit(code ?? 0));
