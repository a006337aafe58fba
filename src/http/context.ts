// The typed context every route sees: the bindings and what middleware has established.
import type { CurrentUser } from "../auth/current-user.ts";
import type { SessionClaims } from "../auth/session.ts";

/** Which door a request came in through (src/http/doors.ts): it decides how errors are answered. */
export type Door = "pages" | "admin" | "api" | "hooks";

export interface AppEnv {
	Bindings: Env;
	Variables: {
		requestId: string;
		/** Set first by the door's own middleware; absent only for /health. */
		door?: Door;
		/**
		 * The signed-in user, re-read from D1 on this request (active flag, roles, grants). Set on
		 * every route of the pages, admin and API doors; the sign-in and sign-out routes may be
		 * anonymous, and /health and /hooks have no user.
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
