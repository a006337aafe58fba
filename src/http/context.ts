// The typed context every route sees: the bindings and what middleware has established.
import type { CurrentUser } from "../auth/current-user.ts";
import type { SessionClaims } from "../auth/session.ts";

export interface AppEnv {
	Bindings: Env;
	Variables: {
		requestId: string;
		/**
		 * The signed-in user, re-read from D1 on this request (active flag, roles, grants). Set on
		 * every route except the public ones (/health, /hooks/*, /sign-in, /sign-out), where the
		 * authentication middleware lets anonymous requests through.
		 */
		user: CurrentUser;
		/** The synchronizer token for this session: a hidden `_csrf` input, and the layout's `csrfToken`. */
		csrfToken: string;
		/** The verified session when the request came with the session cookie. */
		session?: SessionClaims;
		/** What the CSRF token is bound to (set by authentication; internal to the middleware). */
		csrfSeed?: string;
	};
}
