// Signing in and out with a password: GET/POST /sign-in and POST /sign-out. Attempts are counted in
// D1 and slowed, then refused for a while (src/auth/throttle.ts). In Cloudflare Access mode there is
// no password: /sign-in goes straight on and /sign-out leaves through Access's logout.
import { Hono } from "hono";
import { z } from "zod";
import { SignInPage, type SignInView } from "../../../templates/sign-in.tsx";
import { accessConfigFrom } from "../../auth/access.ts";
import {
	clearSignInAttempts,
	countSignInAttempt,
	revokeSession,
	signInBlockedFor,
} from "../../auth/credential-store.ts";
import { randomId } from "../../auth/csrf.ts";
import { MAX_PASSWORD_LENGTH, verifyAgainstDummy, verifyPassword } from "../../auth/password.ts";
import { parseSessionKeys, SESSION_MAX_AGE_SECONDS, signSession } from "../../auth/session.ts";
import { ACCOUNT_POLICY, CLIENT_POLICY } from "../../auth/throttle.ts";
import { findUserByEmail, normalizeEmail, passwordOf } from "../../db/people.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { clearSessionCookie, writeSessionCookie } from "../middleware/cookies.ts";
import { safeNextPath } from "../middleware/paths.ts";
import { redirect } from "../view-models/page-context.ts";

/** Kept here for the routes that import it from this module; it lives in the page kit. */
export { redirect };

const signInSchema = z.object({
	email: z
		.string()
		.trim()
		.min(1, "Enter your email address.")
		.max(254, "That email address is too long.")
		.regex(/^[^\s@]+@[^\s@]+$/, "Enter an email address like name@example.com."),
	password: z
		.string()
		.min(1, "Enter your password.")
		.max(MAX_PASSWORD_LENGTH, "That password is too long."),
});

/** Mounted at /sign-in by app.ts, in a pages door that lets anonymous requests through. */
export const signInRoutes = new Hono<AppEnv>();
/** Mounted at /sign-out, likewise. */
export const signOutRoutes = new Hono<AppEnv>();

signInRoutes.get("/", (c) => {
	const next = safeNextPath(c.req.query("next"));
	if (accessConfigFrom(c.env) || c.get("user")) return c.redirect(next, 303);
	return c.html(<SignInPage csrfToken={c.var.csrfToken} next={next} />);
});

signInRoutes.post("/", async (c) => {
	if (accessConfigFrom(c.env)) {
		throw new AppError("not_found", "Sign-in goes through Cloudflare Access here.");
	}
	const body = await c.req.parseBody();
	const next = safeNextPath(typeof body.next === "string" ? body.next : undefined);
	const typed = typeof body.email === "string" ? body.email.slice(0, 254) : "";
	const render = (status: 401 | 403 | 422 | 429, view: Partial<SignInView>) =>
		c.html(<SignInPage csrfToken={c.var.csrfToken} next={next} email={typed} {...view} />, status);

	const parsed = signInSchema.safeParse(body);
	if (!parsed.success) {
		const fieldErrors: SignInView["fieldErrors"] = {};
		for (const issue of parsed.error.issues) {
			const field = issue.path[0];
			if ((field === "email" || field === "password") && !fieldErrors[field]) {
				fieldErrors[field] = issue.message;
			}
		}
		return render(422, { error: "Please check the fields below.", fieldErrors });
	}

	const { email, password } = parsed.data;
	const db = c.env.DB;
	const now = Date.now();
	const clientKey = `client:${c.req.header("CF-Connecting-IP") ?? "unknown"}`;
	const accountKey = `account:${normalizeEmail(email)}`;
	const clientWait = await signInBlockedFor(db, clientKey, now);
	const verdict =
		clientWait > 0
			? { allowed: false as const, retryAfterMs: clientWait }
			: await countSignInAttempt(db, accountKey, ACCOUNT_POLICY, now);
	if (!verdict.allowed) {
		const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
		c.header("Retry-After", String(seconds));
		return render(429, { error: `Too many sign-in attempts. Try again in ${inWords(seconds)}.` });
	}

	const user = await findUserByEmail(db, email);
	const stored = user ? passwordOf(user) : null;
	const matches = stored
		? await verifyPassword(password, stored)
		: await verifyAgainstDummy(password);
	if (!user || !matches) {
		await countSignInAttempt(db, clientKey, CLIENT_POLICY, now);
		return render(401, { error: "The email address or the password is not right." });
	}
	if (!user.active) {
		return render(403, { error: "This account is deactivated. Ask an administrator." });
	}
	await clearSignInAttempts(db, accountKey);

	const keys = parseSessionKeys(c.env.SESSION_KEYS);
	const nowSeconds = Math.floor(now / 1000);
	const session = {
		userId: user.id,
		sessionVersion: user.sessionVersion,
		sessionId: randomId(),
		signedInAt: nowSeconds,
	};
	const { token, expiresAt } = await signSession(keys, session, nowSeconds);
	writeSessionCookie(c, token, expiresAt - nowSeconds);
	return redirect(c, next);
});

signOutRoutes.post("/", async (c) => {
	const session = c.get("session");
	if (session) {
		const until = (session.signedInAt + SESSION_MAX_AGE_SECONDS) * 1000;
		await revokeSession(c.env.DB, session.sessionId, until, Date.now());
	}
	clearSessionCookie(c);
	return redirect(c, accessConfigFrom(c.env) ? "/cdn-cgi/access/logout" : "/sign-in");
});

function inWords(seconds: number): string {
	if (seconds < 90) return `${seconds} second${seconds === 1 ? "" : "s"}`;
	return `${Math.ceil(seconds / 60)} minutes`;
}
