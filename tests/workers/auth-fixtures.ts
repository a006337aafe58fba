// Helpers for the people and auth tests: users in D1, session cookies minted with the test keys,
// requests to the app (and a signed-in browser sending them), and reading cookies and CSRF tokens
// back out of responses.
import { env, exports } from "cloudflare:workers";
import { csrfTokenFor, randomId } from "../../src/auth/csrf.ts";
import { parseSessionKeys, type SessionKey, signSession } from "../../src/auth/session.ts";
import { addMember, createUser, type UserRow, upsertRole } from "../../src/db/people.ts";

export const ORIGIN = "http://localhost";
export const FORM = "application/x-www-form-urlencoded";

let counter = 0;

/** A new user with a unique email (storage is shared by the tests of a file). */
export async function makeUser(
	options: { name?: string; roles?: string[]; isAdmin?: boolean; password?: string } = {},
): Promise<UserRow> {
	counter += 1;
	const name = options.name ?? `user${counter}`;
	const user = await createUser(env.DB, {
		email: `${name}-${counter}-${randomId(4)}@example.com`,
		displayName: `${name[0]?.toUpperCase()}${name.slice(1)}`,
		isAdmin: options.isAdmin ?? false,
		now: Date.now(),
		...(options.password ? { password: options.password } : {}),
	});
	for (const role of options.roles ?? []) {
		await upsertRole(env.DB, { key: role, name: role, now: Date.now() });
		await addMember(env.DB, role, user.id, Date.now());
	}
	return user;
}

export function testKeys(): SessionKey[] {
	return parseSessionKeys(env.SESSION_KEYS);
}

export interface MintedSession {
	/** The `Cookie` header value. */
	cookie: string;
	/** The CSRF token bound to this session. */
	csrf: string;
	sessionId: string;
	token: string;
}

/** A session cookie as the sign-in route would set it, signed by `key` at time `at` (epoch s). */
export async function mintSession(
	user: Pick<UserRow, "id" | "sessionVersion">,
	options: { key?: SessionKey; at?: number; signedInAt?: number } = {},
): Promise<MintedSession> {
	const keys = testKeys();
	const at = options.at ?? Math.floor(Date.now() / 1000);
	const sessionId = randomId();
	const { token } = await signSession(
		[options.key ?? (keys[0] as SessionKey)],
		{
			userId: user.id,
			sessionVersion: user.sessionVersion,
			sessionId,
			signedInAt: options.signedInAt ?? at,
		},
		at,
	);
	return {
		cookie: `baton_session=${token}`,
		csrf: await csrfTokenFor(keys, `session:${sessionId}`),
		sessionId,
		token,
	};
}

/** A request to the whole Worker, as a browser on `origin` would send it. */
export function send(path: string, init: RequestInit = {}, origin = ORIGIN): Promise<Response> {
	return exports.default.fetch(new Request(`${origin}${path}`, { redirect: "manual", ...init }));
}

/** A same-origin form POST (what a browser sends for a plain form). */
export function postForm(
	path: string,
	fields: Record<string, string | string[]>,
	headers: Record<string, string> = {},
	origin = ORIGIN,
): Promise<Response> {
	const body = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) {
		for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
	}
	return send(
		path,
		{ method: "POST", body, headers: { "Content-Type": FORM, Origin: origin, ...headers } },
		origin,
	);
}

/** A signed-in user's browser: GET and POST (with the CSRF token) as a browser would send them. */
export interface Browser {
	user: UserRow;
	userId: string;
	session: MintedSession;
	/** The CSRF token bound to the session. */
	csrf: string;
	/** The `Cookie` header value. */
	cookie: string;
	get(path: string, headers?: Record<string, string>): Promise<Response>;
	post(
		path: string,
		fields?: Record<string, string | string[]>,
		headers?: Record<string, string>,
	): Promise<Response>;
	/** A multipart upload (the import form). */
	upload(path: string, form: FormData, headers?: Record<string, string>): Promise<Response>;
}

/** A new user (see makeUser) signed in with a fresh session. */
export async function signedIn(
	options: { name?: string; roles?: string[]; isAdmin?: boolean } = {},
): Promise<Browser> {
	const user = await makeUser(options);
	const session = await mintSession(user);
	return {
		user,
		userId: user.id,
		session,
		csrf: session.csrf,
		cookie: session.cookie,
		get: (path, headers = {}) => send(path, { headers: { Cookie: session.cookie, ...headers } }),
		post: (path, fields = {}, headers = {}) =>
			postForm(path, { _csrf: session.csrf, ...fields }, { Cookie: session.cookie, ...headers }),
		upload: (path, form, headers = {}) => {
			if (!form.has("_csrf")) form.set("_csrf", session.csrf);
			return send(path, {
				method: "POST",
				body: form,
				headers: { Cookie: session.cookie, Origin: ORIGIN, ...headers },
			});
		},
	};
}

export interface SetCookie {
	value: string;
	attributes: string[];
	raw: string;
}

/** The cookies a response sets, by name. */
export function setCookies(res: Response): Record<string, SetCookie> {
	const out: Record<string, SetCookie> = {};
	for (const raw of res.headers.getSetCookie()) {
		const [pair = "", ...attributes] = raw.split(";").map((s) => s.trim());
		const eq = pair.indexOf("=");
		out[pair.slice(0, eq)] = { value: pair.slice(eq + 1), attributes, raw };
	}
	return out;
}

/** The hidden `_csrf` value of the first form in a page. */
export function csrfFieldOf(html: string): string {
	const match = /name="_csrf" value="([^"]+)"/.exec(html);
	if (!match?.[1]) throw new Error("no _csrf field in the page");
	return match[1];
}

/** Opens the sign-in page: its form cookie (as a Cookie header) and its CSRF token. */
export async function openSignIn(origin = ORIGIN): Promise<{ cookie: string; csrf: string }> {
	const res = await send("/sign-in", {}, origin);
	const cookies = setCookies(res);
	const name = origin.startsWith("https:") ? "__Host-baton_form" : "baton_form";
	const form = cookies[name];
	if (!form) throw new Error(`no ${name} cookie`);
	return { cookie: `${name}=${form.value}`, csrf: csrfFieldOf(await res.text()) };
}

/** Signs in through the form, like a browser without JavaScript. */
export async function signInWithForm(
	email: string,
	password: string,
	extra: { next?: string; headers?: Record<string, string>; origin?: string } = {},
): Promise<Response> {
	const origin = extra.origin ?? ORIGIN;
	const form = await openSignIn(origin);
	return postForm(
		"/sign-in",
		{ email, password, _csrf: form.csrf, ...(extra.next ? { next: extra.next } : {}) },
		{ Cookie: form.cookie, ...extra.headers },
		origin,
	);
}
