// Authentication at each door that has users: a Cloudflare Access assertion (Access mode), an API
// token (`Authorization: Bearer`, at the API's door only) or the session cookie. Whatever the
// credential, the user is re-read from D1 each time, so deactivation or a removed role takes effect
// on the next request. The API token's scope is checked per operation (scopes.ts).
import type { Context, MiddlewareHandler } from "hono";
import type { JWTVerifyGetKey } from "jose";
import {
	ACCESS_HEADER,
	accessConfigFrom,
	remoteAccessKeys,
	verifyAccessAssertion,
} from "../../auth/access.ts";
import { authenticateApiToken } from "../../auth/credential-store.ts";
import type { CurrentUser } from "../../auth/current-user.ts";
import {
	parseSessionKeys,
	type SessionClaims,
	shouldRenew,
	signSession,
	verifySession,
} from "../../auth/session.ts";
import { type LoadedUser, loadUser } from "../../db/people.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { clearSessionCookie, readSessionCookie, writeSessionCookie } from "./cookies.ts";

export interface AuthenticateOptions {
	/** API tokens are accepted (the API's door); elsewhere a bearer token is refused. */
	tokens?: boolean;
	/**
	 * Without a user: `allow` (sign-in and sign-out), `sign-in` (a page: redirect there), `refuse`
	 * (the API: a JSON 401).
	 */
	anonymous: "allow" | "sign-in" | "refuse";
	/** Access mode: the keys assertions are checked against (tests pass a local JWKS). */
	accessKeys?: JWTVerifyGetKey;
	/** The clock, epoch ms (tests pass a fake one). */
	now?: () => number;
}

type Ctx = Context<AppEnv>;

/** Establishes `c.var.user` (and `session`, `csrfSeed`), or turns an anonymous request away. */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const now = options.now?.() ?? Date.now();
		const user = await identify(c, now, options);
		if (user) c.set("user", user);
		else if (options.anonymous === "refuse") {
			throw new AppError(
				"unauthorized",
				"Sign in, or send an API token as `Authorization: Bearer`.",
			);
		} else if (options.anonymous === "sign-in") return toSignIn(c);
		return next();
	};
}

async function identify(c: Ctx, now: number, options: AuthenticateOptions) {
	const access = accessConfigFrom(c.env);
	const bearer = bearerToken(c);
	if (access) {
		const keys = options.accessKeys ?? remoteAccessKeys(access);
		const identity = await verifyAccessAssertion(
			c.req.header(ACCESS_HEADER),
			access,
			keys,
			new Date(now),
		);
		if (!identity) {
			throw new AppError("unauthorized", "This request did not come through Cloudflare Access.");
		}
		if (bearer !== undefined) return byApiToken(c, bearer, now, options);
		const loaded = await loadUser(c.env.DB, { email: identity.email });
		if (!loaded?.user.active) {
			throw new AppError("forbidden", "There is no active Baton account for this email address.");
		}
		c.set("csrfSeed", `access:${loaded.user.id}:${loaded.user.sessionVersion}`);
		return currentUser(loaded, "access");
	}
	if (bearer !== undefined) return byApiToken(c, bearer, now, options);
	return bySession(c, now);
}

function bearerToken(c: Ctx): string | undefined {
	const header = c.req.header("Authorization");
	if (header === undefined) return undefined;
	const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
	return match?.[1] ?? "";
}

/** An API token works for the JSON API only, within its scopes, while its user is active. */
async function byApiToken(
	c: Ctx,
	presented: string,
	now: number,
	options: AuthenticateOptions,
): Promise<CurrentUser> {
	if (!options.tokens) {
		throw new AppError("unauthorized", "API tokens are accepted under /api/ only.");
	}
	const token = await authenticateApiToken(c.env.DB, presented, now);
	if (!token) throw new AppError("unauthorized", "The API token is not valid.");
	const loaded = await loadUser(c.env.DB, { id: token.userId });
	if (!loaded?.user.active) throw new AppError("unauthorized", "The API token is not valid.");
	return {
		...currentUser(loaded, "api-token"),
		scopes: token.scopes,
		externalTaskTypes: token.externalTaskTypes,
	};
}

/**
 * The session cookie's user, when its token verifies and the session still holds: the user is
 * active, the session version matches (no deactivation or "sign out everywhere" since) and the
 * session was not signed out. Past half its life the token is re-issued (sliding expiry).
 */
async function bySession(c: Ctx, now: number): Promise<CurrentUser | undefined> {
	const token = readSessionCookie(c);
	if (!token) return undefined;
	const keys = parseSessionKeys(c.env.SESSION_KEYS);
	const nowSeconds = Math.floor(now / 1000);
	const claims = await verifySession(keys, token, nowSeconds);
	const loaded = claims && (await loadUser(c.env.DB, { id: claims.userId }, claims.sessionId));
	if (!claims || !loaded || !isSessionValid(loaded, claims)) {
		clearSessionCookie(c);
		return undefined;
	}
	if (shouldRenew(keys, claims, nowSeconds)) {
		const { userId, sessionVersion, sessionId, signedInAt } = claims;
		const renewed = await signSession(
			keys,
			{ userId, sessionVersion, sessionId, signedInAt },
			nowSeconds,
		);
		writeSessionCookie(c, renewed.token, renewed.expiresAt - nowSeconds);
	}
	c.set("session", claims);
	c.set("csrfSeed", `session:${claims.sessionId}`);
	return currentUser(loaded, "session");
}

function isSessionValid(loaded: LoadedUser, claims: SessionClaims): boolean {
	return (
		loaded.user.active &&
		loaded.user.sessionVersion === claims.sessionVersion &&
		!loaded.sessionRevoked
	);
}

function currentUser(loaded: LoadedUser, via: CurrentUser["via"]): CurrentUser {
	return {
		id: loaded.user.id,
		email: loaded.user.email,
		displayName: loaded.user.displayName,
		isAdmin: loaded.user.isAdmin,
		roles: loaded.roles,
		grants: loaded.grants,
		via,
	};
}

/** No user on a page: to the sign-in page, and back here after it (htmx follows HX-Redirect). */
function toSignIn(c: Ctx): Response {
	const url = new URL(c.req.url);
	const back = c.req.header("HX-Request") === "true" ? c.req.header("HX-Current-URL") : c.req.url;
	const backPath = back ? pathOf(back, url.origin) : "/";
	const target = `/sign-in?next=${encodeURIComponent(backPath)}`;
	if (c.req.header("HX-Request") === "true") {
		c.header("HX-Redirect", target);
		return c.body(null, 401);
	}
	return c.redirect(target, 303);
}

function pathOf(href: string, origin: string): string {
	try {
		const u = new URL(href, origin);
		return u.origin === origin ? `${u.pathname}${u.search}` : "/";
	} catch {
		return "/";
	}
}
