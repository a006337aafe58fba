// What `npm run deploy` does, as steps over a Wrangler it is given (the real CLI in deploy.ts, a
// fake in the tests), so that running it twice is safe by construction: every step first looks at
// what the account already has and only adds what is missing.
//
// 1. signed in (or CLOUDFLARE_API_TOKEN), else `wrangler login`;
// 2. the D1 database by the name in wrangler.toml (no id there: wrangler looks it up by name);
// 3. the queues and R2 buckets wrangler.toml names ("already exists" is fine);
// 4. the D1 migrations, applied remotely before the code that needs them;
// 5. the secrets: SESSION_KEYS generated once, never replaced by a later run;
// 6. `wrangler deploy` (the Durable Objects, the Cron Trigger, the assets), and its URL;
// 7. the first administrator, only while there is none, with a generated password shown once.

export interface RunResult {
	code: number;
	stdout: string;
	stderr: string;
}

export interface Wrangler {
	/** Runs `wrangler …args`; `show` lets the person see (and answer) it, else output is captured. */
	run(args: string[], options?: { show?: boolean }): Promise<RunResult>;
}

export interface DeployConfig {
	workerName: string;
	databaseName: string;
	queues: string[];
	buckets: string[];
}

export interface Person {
	/** Asks a question on the terminal; the answer trimmed. */
	ask(question: string): Promise<string>;
	say(line: string): void;
}

export interface Secrets {
	/** Writes the secrets to a file only the current user reads; removed by `dispose`. */
	file(values: Record<string, string>): { path: string; dispose(): void };
}

export interface FirstAdmin {
	email: string;
	displayName: string;
	/** The INSERT statements that create the user (with its password hash) and its audit entry. */
	sql: string;
	password: string;
}

export interface DeployDeps {
	wrangler: Wrangler;
	config: DeployConfig;
	person: Person;
	secrets: Secrets;
	/** Builds the first admin's statements for an email and name (hashing a new password). */
	firstAdmin(email: string, displayName: string): Promise<FirstAdmin>;
	/** A new SESSION_KEYS value (docs/people.md). */
	sessionKeys(): string;
	/** True when nobody can answer a question: no `wrangler login`, the admin from the env. */
	unattended: boolean;
	env: Record<string, string | undefined>;
}

export interface DeployOutcome {
	url: string | null;
	created: string[];
	admin: { email: string; password: string } | null;
}

class DeployError extends Error {}

function fail(step: string, result: RunResult): never {
	const detail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
	throw new DeployError(`${step} failed (wrangler exited ${result.code}):\n${detail}`);
}

const ALREADY_EXISTS = /already exists|already taken|already own/i;

/** A JSON answer of wrangler, which may print a banner line before it. */
function jsonOf<T>(stdout: string): T {
	const start = stdout.search(/[[{]/);
	return JSON.parse(start < 0 ? stdout : stdout.slice(start)) as T;
}

async function signIn(deps: DeployDeps) {
	const who = await deps.wrangler.run(["whoami", "--json"]);
	if (who.code === 0) return;
	if (deps.env.CLOUDFLARE_API_TOKEN) fail("Checking the API token (wrangler whoami)", who);
	if (deps.unattended) {
		throw new DeployError(
			"Not signed in to Cloudflare: set CLOUDFLARE_API_TOKEN (and CLOUDFLARE_ACCOUNT_ID) or run `npx wrangler login` first.",
		);
	}
	const login = await deps.wrangler.run(["login"], { show: true });
	if (login.code !== 0) fail("Signing in (wrangler login)", login);
}

async function ensureDatabase(deps: DeployDeps, created: string[]) {
	const list = await deps.wrangler.run(["d1", "list", "--json"]);
	if (list.code !== 0) fail("Listing the D1 databases", list);
	const names = jsonOf<{ name: string }[]>(list.stdout).map((d) => d.name);
	if (names.includes(deps.config.databaseName)) return;
	const location = deps.env.BATON_D1_LOCATION;
	const made = await deps.wrangler.run([
		"d1",
		"create",
		deps.config.databaseName,
		...(location ? ["--location", location] : []),
	]);
	if (made.code !== 0) fail(`Creating the D1 database ${deps.config.databaseName}`, made);
	created.push(`D1 database ${deps.config.databaseName}`);
}

async function ensureAll(
	deps: DeployDeps,
	created: string[],
	kind: string,
	names: string[],
	create: (name: string) => string[],
) {
	for (const name of names) {
		const made = await deps.wrangler.run(create(name));
		if (made.code === 0) created.push(`${kind} ${name}`);
		else if (!ALREADY_EXISTS.test(made.stdout + made.stderr))
			fail(`Creating the ${kind} ${name}`, made);
	}
}

/** The secrets the Worker has; none when it is not deployed yet. */
async function existingSecrets(deps: DeployDeps): Promise<Set<string>> {
	const list = await deps.wrangler.run(["secret", "list", "--format", "json"]);
	if (list.code !== 0) return new Set();
	return new Set(jsonOf<{ name: string }[]>(list.stdout).map((s) => s.name));
}

async function firstAdminIfNone(deps: DeployDeps, url: string | null) {
	const query = await deps.wrangler.run([
		"d1",
		"execute",
		deps.config.databaseName,
		"--remote",
		"--json",
		"--command",
		"SELECT count(*) AS n FROM users WHERE is_admin = 1 AND active = 1",
	]);
	if (query.code !== 0) fail("Looking for an administrator", query);
	const rows = jsonOf<{ results: { n: number }[] }[]>(query.stdout)[0]?.results ?? [];
	if ((rows[0]?.n ?? 0) > 0) return null;
	const email =
		deps.env.BATON_ADMIN_EMAIL ??
		(deps.unattended ? "" : await deps.person.ask("Email of the first administrator: "));
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
		throw new DeployError(
			"The first administrator needs an email address: answer the question, or set BATON_ADMIN_EMAIL.",
		);
	}
	const name =
		deps.env.BATON_ADMIN_NAME ??
		(deps.unattended ? "" : await deps.person.ask("Their name (as people will see it): "));
	const admin = await deps.firstAdmin(email, name || email.split("@")[0] || email);
	const insert = await deps.wrangler.run([
		"d1",
		"execute",
		deps.config.databaseName,
		"--remote",
		"--command",
		admin.sql,
	]);
	if (insert.code !== 0) fail("Creating the first administrator", insert);
	deps.person.say(
		`First administrator: ${admin.email}, password ${admin.password} (shown once; change it on the account page${url ? ` at ${url}/account` : ""}).`,
	);
	return { email: admin.email, password: admin.password };
}

/** Takes an account from nothing (or from any earlier run) to a running Baton. */
export async function deployBaton(deps: DeployDeps): Promise<DeployOutcome> {
	const created: string[] = [];
	const { wrangler, config, person } = deps;
	await signIn(deps);
	await ensureDatabase(deps, created);
	await ensureAll(deps, created, "queue", config.queues, (q) => ["queues", "create", q]);
	await ensureAll(deps, created, "R2 bucket", config.buckets, (b) => ["r2", "bucket", "create", b]);
	const migrations = await wrangler.run(
		["d1", "migrations", "apply", config.databaseName, "--remote"],
		{
			show: true,
		},
	);
	if (migrations.code !== 0) fail("Applying the D1 migrations", migrations);

	const secrets = await existingSecrets(deps);
	const missing: Record<string, string> = {};
	if (!secrets.has("SESSION_KEYS")) missing.SESSION_KEYS = deps.sessionKeys();
	const file = Object.keys(missing).length > 0 ? deps.secrets.file(missing) : null;
	let deployed: RunResult;
	try {
		deployed = await wrangler.run(["deploy", ...(file ? ["--secrets-file", file.path] : [])], {
			show: true,
		});
	} finally {
		file?.dispose();
	}
	if (deployed.code !== 0) fail("Deploying the Worker", deployed);
	for (const name of Object.keys(missing)) created.push(`secret ${name}`);
	const url = /https:\/\/[^\s]+\.workers\.dev/.exec(deployed.stdout)?.[0] ?? null;

	const admin = await firstAdminIfNone(deps, url);
	person.say(url ? `Baton runs at ${url}` : "Baton is deployed (see the route wrangler printed).");
	person.say(created.length > 0 ? `Created: ${created.join(", ")}.` : "Nothing new was needed.");
	return { url, created, admin };
}

export { DeployError };
