// Local secrets for `npm start`: writes `.dev.vars` with a fresh random session key when there is
// none (or adds SESSION_KEYS to an existing file that lacks it). Never overwrites a key: sessions
// signed with it keep working across restarts. Production keys come from `wrangler secret put`.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const file = join(root, ".dev.vars");

const kid = `local-${new Date().toISOString().slice(0, 10)}`;
const keys = JSON.stringify([{ kid, secret: randomBytes(32).toString("base64url") }]);
const line = `SESSION_KEYS='${keys}'\n`;

if (!existsSync(file)) {
	writeFileSync(
		file,
		`# Local secrets for wrangler dev; not committed. See docs/people.md and .dev.vars.example.\n${line}`,
		{ mode: 0o600 },
	);
	console.log("Wrote .dev.vars with a fresh session key.");
} else if (!/^\s*SESSION_KEYS\s*=/m.test(readFileSync(file, "utf8"))) {
	const content = readFileSync(file, "utf8");
	appendFileSync(file, `${content.endsWith("\n") || content === "" ? "" : "\n"}${line}`);
	console.log("Added a fresh session key to .dev.vars.");
}
