// Helpers of the admin tests: a signed-in admin (or anyone), requests as a browser sends them
// (plain form posts, or htmx ones), and the values a page carries (the draft revision).
import { env } from "cloudflare:workers";
import { getDraft } from "../../src/db/workflows.ts";
import { type Browser, signedIn as signedInAs } from "./auth-fixtures.ts";

export type { Browser };

export const HTMX = { "HX-Request": "true" };

/** A signed-in browser; an admin (named "admin") unless told otherwise (then named "worker"). */
export function signedIn(
	options: { isAdmin?: boolean; roles?: string[]; name?: string } = {},
): Promise<Browser> {
	return signedInAs({
		name: options.name ?? (options.isAdmin === false ? "worker" : "admin"),
		isAdmin: options.isAdmin ?? true,
		...(options.roles ? { roles: options.roles } : {}),
	});
}

/** The draft revision a page shows in its forms. */
export function revisionIn(html: string): string {
	const match = /name="revision" value="(\d+)"/.exec(html);
	if (!match?.[1]) throw new Error("no revision field in the page");
	return match[1];
}

/** The current draft revision, as the editor would show it. */
export async function revisionOf(key: string): Promise<string> {
	const draft = await getDraft(env.DB, key);
	if (!draft) throw new Error(`no draft of ${key}`);
	return String(draft.revision);
}

/** Sends an editor form with the current revision and expects the no-JS answer (303). */
export async function edit(
	browser: Browser,
	key: string,
	path: string,
	fields: Record<string, string>,
): Promise<Response> {
	const res = await browser.post(`/admin/workflows/${key}/draft${path}`, {
		revision: await revisionOf(key),
		...fields,
	});
	if (res.status !== 303) {
		throw new Error(`${path}: ${res.status} ${(await res.text()).slice(0, 2000)}`);
	}
	return res;
}

/** Text of a page without tags, whitespace collapsed (to look for messages). */
export function textOf(html: string): string {
	return html
		.replace(/<[^>]+>/g, " ")
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&gt;/g, ">")
		.replace(/&lt;/g, "<")
		.replace(/&amp;/g, "&")
		.replace(/\s+/g, " ");
}
