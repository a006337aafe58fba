// Bindings that only the test configuration adds.
declare namespace Cloudflare {
	interface Env {
		TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
		FAULT_INJECTION?: string;
		/** T12: a secret the test configuration sets, listed in TASK_SECRETS. */
		PAYMENTS_TOKEN: string;
	}
}
