// `npm run deploy`: a Cloudflare account from nothing to a running Baton, and safe to run again
// (docs/deploying.md). The steps are in deploy/first-deploy.ts; this file gives them the real
// wrangler (the project's own, run by this Node), the terminal, and wrangler.toml's resources.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline/promises";
import { fileURLToPath } from "node:url";
import { unstable_readConfig } from "wrangler";
import { hashPassword, toBase64 } from "../src/auth/password.ts";
import {
	type DeployConfig,
	DeployError,
	deployBaton,
	type FirstAdmin,
	type RunResult,
} from "./deploy/first-deploy.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = join(root, "node_modules", "wrangler", "bin", "wrangler.js");

function run(args: string[], options: { show?: boolean } = {}): Promise<RunResult> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [wranglerBin, ...args], {
			cwd: root,
			env: { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" },
			stdio: [options.show ? "inherit" : "ignore", "pipe", "pipe"],
		});
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (chunk: Buffer) => {
			stdout += chunk;
			if (options.show) process.stdout.write(chunk);
		});
		child.stderr.on("data", (chunk: Buffer) => {
			stderr += chunk;
			if (options.show) process.stderr.write(chunk);
		});
		child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
	});
}

function resourcesOf(): DeployConfig {
	const config = unstable_readConfig({ config: join(root, "wrangler.toml") });
	const db = config.d1_databases.find(
		(d: { binding: string; database_name?: string }) => d.binding === "DB",
	);
	if (!db?.database_name) throw new DeployError("wrangler.toml has no D1 binding DB with a name.");
	const queues = new Set<string>();
	for (const p of config.queues.producers ?? []) queues.add(p.queue);
	for (const c of config.queues.consumers ?? []) {
		queues.add(c.queue);
		if (c.dead_letter_queue) queues.add(c.dead_letter_queue);
	}
	return {
		workerName: config.name ?? "baton",
		databaseName: db.database_name,
		queues: [...queues],
		buckets: config.r2_buckets
			.map((b: { bucket_name?: string }) => b.bucket_name)
			.filter((b: string | undefined): b is string => Boolean(b)),
	};
}

/** SQL text literal: the value between single quotes, each quote doubled. */
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

async function firstAdmin(email: string, displayName: string): Promise<FirstAdmin> {
	const password = toBase64(crypto.getRandomValues(new Uint8Array(15)))
		.replaceAll("+", "-")
		.replaceAll("/", "_");
	const hash = await hashPassword(password);
	const id = crypto.randomUUID();
	const now = Date.now();
	const normalized = email.trim().toLowerCase();
	const sql = [
		`INSERT INTO users (id, email, display_name, active, created_at, is_admin, password_hash, password_salt, password_iterations, session_version) VALUES (${text(id)}, ${text(normalized)}, ${text(displayName)}, 1, ${now}, 1, ${text(hash.hash)}, ${text(hash.salt)}, ${hash.iterations}, 1)`,
		`INSERT INTO audit_entries (id, at, actor, action, target, details) VALUES (${text(crypto.randomUUID())}, ${now}, 'deploy', 'user.created', ${text(id)}, ${text(JSON.stringify({ email: normalized, isAdmin: true, by: "npm run deploy" }))})`,
	].join("; ");
	return { email: normalized, displayName, sql, password };
}

function sessionKeys(): string {
	const secret = toBase64(crypto.getRandomValues(new Uint8Array(32)));
	return JSON.stringify([{ kid: new Date().toISOString().slice(0, 7), secret }]);
}

const terminal = process.stdin.isTTY
	? createInterface({ input: process.stdin, output: process.stdout })
	: null;

try {
	await deployBaton({
		wrangler: { run },
		config: resourcesOf(),
		person: {
			ask: async (question) => (terminal ? (await terminal.question(question)).trim() : ""),
			say: (line) => console.log(line),
		},
		secrets: {
			file(values) {
				const dir = mkdtempSync(join(tmpdir(), "baton-secrets-"));
				const path = join(dir, "secrets.json");
				writeFileSync(path, JSON.stringify(values), { mode: 0o600 });
				return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
			},
		},
		firstAdmin,
		sessionKeys,
		unattended: !process.stdin.isTTY,
		env: process.env,
	});
} catch (e) {
	console.error(e instanceof DeployError ? `\n${e.message}` : e);
	process.exitCode = 1;
} finally {
	terminal?.close();
}
