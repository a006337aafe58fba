// Secrets and optional settings the people module reads (set with `wrangler secret put`, locally
// in `.dev.vars`; see docs/people.md). They are not in wrangler.toml, so `wrangler types` misses them.
declare namespace Cloudflare {
	interface Env {
		/** JSON `[{"kid":"…","secret":"…"}]`: the first key signs sessions, every key verifies. */
		SESSION_KEYS: string;
		/** Cloudflare Access mode: the team domain, e.g. `https://acme.cloudflareaccess.com`. */
		ACCESS_TEAM_DOMAIN?: string;
		/** Cloudflare Access mode: the application's AUD tag. */
		ACCESS_AUD?: string;
		/**
		 * T12: the names of the secrets task types may read (commas or spaces between them), e.g.
		 * `PAYMENTS_TOKEN`; each is set with `wrangler secret put NAME` (locally in `.dev.vars`).
		 */
		TASK_SECRETS?: string;
	}
}
interface Env extends Cloudflare.Env {}
