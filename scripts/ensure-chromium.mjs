// Makes sure the browser tests have a Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium.
// When it is missing and we run as root with apt (a clean CI machine), installs Debian's `chromium`
// package; otherwise stops with what to do. Test tools never download browsers here.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const wanted = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function fail(message) {
	console.error(`\n[ensure-chromium] ${message}\n`);
	process.exit(1);
}

if (existsSync(wanted)) process.exit(0);

if (process.env.CHROMIUM_PATH) {
	fail(
		`CHROMIUM_PATH is set to ${wanted}, but there is no file there. Point it at a Chromium binary.`,
	);
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot || !existsSync("/usr/bin/apt-get")) {
	fail(
		[
			"The browser tests need Chromium at /usr/bin/chromium, and it is not installed.",
			"Install it with:   sudo apt-get update && sudo apt-get install -y chromium",
			"or set CHROMIUM_PATH to a Chromium (or Chrome) binary you already have.",
		].join("\n"),
	);
}

console.log("[ensure-chromium] Installing Debian's chromium package (this takes a few minutes)…");
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [["update"], ["install", "-y", "chromium"]]) {
	const run = spawnSync("apt-get", args, { stdio: "inherit", env });
	if (run.status !== 0) fail(`apt-get ${args.join(" ")} failed (exit ${run.status ?? "signal"}).`);
}
if (!existsSync(wanted)) fail(`apt-get installed chromium, but ${wanted} is still missing.`);
console.log(`[ensure-chromium] Chromium is at ${wanted}.`);
