// The session cookie and the anonymous form cookie: HttpOnly, SameSite=Lax, Path=/, and Secure with
// the `__Host-` prefix everywhere except plain http on localhost, where browsers would drop them.
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";

const SESSION_COOKIE = "baton_session";
/** Binds the CSRF token of the sign-in form before there is a session. */
const FORM_COOKIE = "baton_form";
const FORM_COOKIE_MAX_AGE = 2 * 60 * 60;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** True on `http://localhost`, `http://127.0.0.1` and `http://[::1]`: the only places without Secure. */
export function isLocalHttp(url: string): boolean {
	const { protocol, hostname } = new URL(url);
	return protocol === "http:" && LOCAL_HOSTS.has(hostname);
}

function prefixFor(c: Context): "host" | undefined {
	return isLocalHttp(c.req.url) ? undefined : "host";
}

function write(c: Context, name: string, value: string, maxAge: number): void {
	const prefix = prefixFor(c);
	setCookie(c, name, value, {
		httpOnly: true,
		sameSite: "Lax",
		path: "/",
		secure: prefix === "host",
		maxAge,
		...(prefix ? { prefix } : {}),
	});
}

function read(c: Context, name: string): string | undefined {
	const prefix = prefixFor(c);
	return prefix ? getCookie(c, name, prefix) : getCookie(c, name);
}

function remove(c: Context, name: string): void {
	const prefix = prefixFor(c);
	deleteCookie(c, name, { path: "/", secure: prefix === "host", ...(prefix ? { prefix } : {}) });
}

export function readSessionCookie(c: Context): string | undefined {
	return read(c, SESSION_COOKIE);
}

/** Sets the session cookie to live exactly as long as the token in it. */
export function writeSessionCookie(c: Context, token: string, maxAgeSeconds: number): void {
	write(c, SESSION_COOKIE, token, Math.max(0, Math.floor(maxAgeSeconds)));
}

export function clearSessionCookie(c: Context): void {
	remove(c, SESSION_COOKIE);
}

export function readFormCookie(c: Context): string | undefined {
	return read(c, FORM_COOKIE);
}

export function writeFormCookie(c: Context, value: string): void {
	write(c, FORM_COOKIE, value, FORM_COOKIE_MAX_AGE);
}
