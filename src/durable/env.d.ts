// Bindings the ProcessObject reads that wrangler.toml does not declare.
declare namespace Cloudflare {
	interface Env {
		/** "on" only in the test configuration: lets tests arm crash points (G6). */
		FAULT_INJECTION?: string;
	}
}
