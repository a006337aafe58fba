import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Integration tests inside workerd: real D1, Durable Objects and queues from wrangler.toml.
export default defineConfig(async () => {
	const migrations = await readD1Migrations("./migrations");
	return {
		plugins: [
			cloudflareTest({
				wrangler: { configPath: "./wrangler.toml" },
				miniflare: {
					bindings: {
						TEST_MIGRATIONS: migrations,
						// T12: the secrets task types may read, and one of them (a test value, never a real one).
						TASK_SECRETS: "PAYMENTS_TOKEN",
						PAYMENTS_TOKEN: "tok_test_4f1c9a2e7b3d",
						// Every workers test runs with the task queue in four shards (src/queue/shards.ts).
						TASK_QUEUE_SHARDS: "4",
						// Lets tests arm the crash points of the ProcessObject (G6); never set in wrangler.toml.
						FAULT_INJECTION: "on",
						// Keeps every sent mail in D1 for the outbox page and the notification tests.
						MAIL_OUTBOX: "keep",
						// Session keys for the tests only (docs/people.md); "test-old" verifies, "test-new" signs.
						SESSION_KEYS: JSON.stringify([
							{ kid: "test-new", secret: "test-session-secret-new-0123456789abcdef" },
							{ kid: "test-old", secret: "test-session-secret-old-0123456789abcdef" },
						]),
					},
				},
			}),
		],
		test: {
			include: ["tests/workers/**/*.test.ts"],
			setupFiles: ["./tests/workers/apply-migrations.ts"],
			testTimeout: 20_000,
		},
	};
});
