// `npm run deploy` against a fake Cloudflare account that keeps what wrangler creates: from nothing
// it creates every resource, applies the migrations before the code, deploys with a generated
// SESSION_KEYS and makes the first admin; run again, it creates nothing, keeps the secret and makes
// no second admin. Failures stop it with the step named.
import { describe, expect, it } from "vitest";
import {
	type DeployDeps,
	deployBaton,
	type RunResult,
} from "../../../scripts/deploy/first-deploy.ts";

class FakeAccount {
	signedIn = false;
	databases = new Set<string>();
	queues = new Set<string>();
	buckets = new Set<string>();
	secrets = new Map<string, string>();
	admins = 0;
	deployed = false;
	migrationsApplied = 0;
	calls: string[] = [];
	/** Secrets files as wrangler read them. */
	secretFiles: Record<string, string>[] = [];
	files = new Map<string, Record<string, string>>();

	async run(args: string[]): Promise<RunResult> {
		this.calls.push(args.join(" "));
		const ok = (stdout = ""): RunResult => ({ code: 0, stdout, stderr: "" });
		const no = (stderr: string): RunResult => ({ code: 1, stdout: "", stderr });
		const [a, b, c] = args;
		if (a === "whoami") return this.signedIn ? ok("{}") : no("Not logged in.");
		if (a === "login") {
			this.signedIn = true;
			return ok();
		}
		if (!this.signedIn) return no("Not logged in.");
		if (a === "d1" && b === "list") {
			return ok(JSON.stringify([...this.databases].map((name) => ({ name }))));
		}
		if (a === "d1" && b === "create") {
			this.databases.add(c as string);
			return ok();
		}
		if (a === "queues" && b === "create") {
			if (this.queues.has(c as string)) return no(`Queue "${c}" already exists [code: 11009]`);
			this.queues.add(c as string);
			return ok();
		}
		if (a === "r2" && b === "bucket" && c === "create") {
			const name = args[3] as string;
			if (this.buckets.has(name))
				return no("The bucket you tried to create already exists, and you own it.");
			this.buckets.add(name);
			return ok();
		}
		if (a === "d1" && b === "migrations") {
			if (!this.databases.has(args[3] as string)) return no("Couldn't find a D1 DB");
			expect(this.deployedBeforeMigrations()).toBe(false);
			this.migrationsApplied++;
			return ok();
		}
		if (a === "secret" && b === "list") {
			if (!this.deployed) return no("This Worker does not exist on your account.");
			return ok(
				JSON.stringify([...this.secrets.keys()].map((name) => ({ name, type: "secret_text" }))),
			);
		}
		if (a === "deploy") {
			const file = args.indexOf("--secrets-file");
			if (file >= 0) {
				const values = this.files.get(args[file + 1] as string);
				if (!values) return no("secrets file is gone");
				this.secretFiles.push(values);
				for (const [k, v] of Object.entries(values)) this.secrets.set(k, v);
			}
			this.deployed = true;
			return ok("Uploaded baton\nDeployed baton triggers\n  https://baton.acme.workers.dev\n");
		}
		if (a === "d1" && b === "execute") {
			const command = args[args.indexOf("--command") + 1] as string;
			if (command.startsWith("SELECT")) {
				return ok(JSON.stringify([{ results: [{ n: this.admins }], success: true }]));
			}
			if (command.startsWith("INSERT INTO users")) {
				this.admins++;
				return ok();
			}
		}
		return no(`unexpected: wrangler ${args.join(" ")}`);
	}

	private deployedBeforeMigrations() {
		return this.calls.some((c) => c.startsWith("deploy")) && this.migrationsApplied === 0;
	}
}

function depsFor(
	account: FakeAccount,
	overrides: Partial<DeployDeps> = {},
): DeployDeps & { said: string[] } {
	const said: string[] = [];
	let n = 0;
	return {
		wrangler: { run: (args) => account.run(args) },
		config: {
			workerName: "baton",
			databaseName: "baton",
			queues: ["baton-tasks", "baton-tasks-dlq", "baton-operations"],
			buckets: ["baton-archive"],
		},
		person: {
			ask: async (q) => (q.startsWith("Email") ? "ada@acme.test" : "Ada"),
			say: (line) => said.push(line),
		},
		secrets: {
			file(values) {
				const path = `/tmp/fake-secrets-${++n}.json`;
				account.files.set(path, values);
				return { path, dispose: () => account.files.delete(path) };
			},
		},
		firstAdmin: async (email, displayName) => ({
			email,
			displayName,
			password: "generated-password",
			sql: `INSERT INTO users (email) VALUES ('${email}')`,
		}),
		sessionKeys: () => `[{"kid":"k${++n}","secret":"s"}]`,
		unattended: false,
		env: {},
		said,
		...overrides,
	};
}

describe("npm run deploy", () => {
	it("takes a new account from nothing to a running Baton, then a second run changes nothing", async () => {
		const account = new FakeAccount();
		const first = await deployBaton(depsFor(account));
		expect(account.calls[0]).toBe("whoami --json");
		expect(account.calls[1]).toBe("login");
		expect([...account.databases]).toEqual(["baton"]);
		expect([...account.queues]).toEqual(["baton-tasks", "baton-tasks-dlq", "baton-operations"]);
		expect([...account.buckets]).toEqual(["baton-archive"]);
		expect(account.secrets.has("SESSION_KEYS")).toBe(true);
		expect(account.files.size).toBe(0);
		expect(account.admins).toBe(1);
		expect(first.url).toBe("https://baton.acme.workers.dev");
		expect(first.admin).toEqual({ email: "ada@acme.test", password: "generated-password" });
		expect(first.created).toEqual([
			"D1 database baton",
			"queue baton-tasks",
			"queue baton-tasks-dlq",
			"queue baton-operations",
			"R2 bucket baton-archive",
			"secret SESSION_KEYS",
		]);

		const keys = account.secrets.get("SESSION_KEYS");
		const second = depsFor(account);
		const again = await deployBaton(second);
		expect(again.created).toEqual([]);
		expect(again.admin).toBeNull();
		expect(account.admins).toBe(1);
		expect(account.secrets.get("SESSION_KEYS")).toBe(keys);
		expect(account.secretFiles).toHaveLength(1);
		expect(account.migrationsApplied).toBe(2);
		expect(second.said).toContain("Nothing new was needed.");
	});

	it("unattended without credentials it stops before touching anything, and says how to sign in", async () => {
		const account = new FakeAccount();
		await expect(deployBaton(depsFor(account, { unattended: true }))).rejects.toThrow(
			/CLOUDFLARE_API_TOKEN/,
		);
		expect(account.calls).toEqual(["whoami --json"]);
	});

	it("unattended, the first admin comes from BATON_ADMIN_EMAIL; without it the deploy says what is missing", async () => {
		const account = new FakeAccount();
		account.signedIn = true;
		await expect(deployBaton(depsFor(account, { unattended: true }))).rejects.toThrow(
			/BATON_ADMIN_EMAIL/,
		);
		expect(account.deployed).toBe(true);
		const done = await deployBaton(
			depsFor(account, { unattended: true, env: { BATON_ADMIN_EMAIL: "ops@acme.test" } }),
		);
		expect(done.admin?.email).toBe("ops@acme.test");
	});

	it("a failing step stops the deploy with the step and wrangler's words", async () => {
		const account = new FakeAccount();
		account.signedIn = true;
		const broken = depsFor(account, {
			wrangler: {
				run: async (args) =>
					args[0] === "queues"
						? { code: 1, stdout: "", stderr: "Authentication error [code: 10000]" }
						: account.run(args),
			},
		});
		await expect(deployBaton(broken)).rejects.toThrow(
			/Creating the queue baton-tasks failed \(wrangler exited 1\):\nAuthentication error/,
		);
		expect(account.deployed).toBe(false);
	});
});
