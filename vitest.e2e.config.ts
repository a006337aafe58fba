import { defineConfig } from "vitest/config";

// Browser end-to-end tests, in plain Node (not workerd): the global setup starts the Worker with
// wrangler's API on a free port, with a fresh local D1 (migrated) and the demo seeded; the tests
// drive Debian's Chromium through playwright-core (scripts/ensure-chromium.mjs installs it).
export default defineConfig({
	test: {
		name: "e2e",
		include: ["tests/e2e/**/*.test.ts"],
		environment: "node",
		globalSetup: ["tests/e2e/global-setup.ts"],
		testTimeout: 60_000,
		hookTimeout: 120_000,
		// A page, its scripts and its event stream take longer than the default second on a busy
		// 2-core CI machine; polls wait for what a person would wait for.
		expect: { poll: { timeout: 15_000 } },
		// One browser, one Worker: the files share the demo data, so they run one after the other.
		fileParallelism: false,
	},
});
