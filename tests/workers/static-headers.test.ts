// Static files (served by Workers static assets, before the Worker runs) carry the same security
// headers as the pages, from public/_headers; and the pages' CSP forbids <base> and foreign form
// targets. The assets are fetched through the ASSETS binding, which applies public/_headers as
// Cloudflare does.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { send, signedIn } from "./auth-fixtures.ts";

/** Headers that describe the response itself rather than the site's security policy. */
const PER_RESPONSE = new Set([
	"content-type",
	"content-length",
	"set-cookie",
	"cache-control",
	"etag",
	"cf-cache-status",
	"vary",
	"date",
]);

function securityHeaders(res: Response): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of res.headers) if (!PER_RESPONSE.has(name)) out[name] = value;
	return out;
}

describe("security headers", () => {
	it("the pages' CSP sets base-uri, form-action, object-src and frame-ancestors", async () => {
		const res = await send("/sign-in");
		const csp = res.headers.get("Content-Security-Policy") ?? "";
		const directives = new Map(
			csp.split(";").map((d) => {
				const [name = "", ...values] = d.trim().split(/\s+/);
				return [name, values.join(" ")] as const;
			}),
		);
		expect(directives.get("base-uri")).toBe("'none'");
		expect(directives.get("form-action")).toBe("'self'");
		expect(directives.get("object-src")).toBe("'none'");
		expect(directives.get("frame-ancestors")).toBe("'none'");
		expect(res.headers.get("X-Frame-Options")).toBe("DENY");
	});

	it.each([
		"/styles.css",
		"/app.js",
		"/admin.css",
		"/admin.js",
		"/vendor/htmx.min.js",
		"/vendor/hx-sse.min.js",
	])("%s carries exactly the pages' security headers", async (path) => {
		const page = securityHeaders(await send("/sign-in"));
		const asset = await env.ASSETS.fetch(new Request(`http://localhost${path}`));
		expect(asset.status).toBe(200);
		expect(securityHeaders(asset)).toEqual(page);
		expect(asset.headers.get("X-Content-Type-Options")).toBe("nosniff");
	});

	it("an address no route answers gets the 404 page, a whole document with the pages' headers", async () => {
		// Signed out, it is the sign-in first (nothing says which addresses exist).
		expect((await send("/no-such-page")).status).toBe(303);
		const browser = await signedIn({ name: "lost" });
		const res = await browser.get("/no-such-page");
		expect(res.status).toBe(404);
		const html = await res.text();
		expect(html).toMatch(/<html lang="en"/);
		expect(html).toContain("<title>");
		expect(html).toContain("There is no page at this address.");
		expect(securityHeaders(res)).toEqual(securityHeaders(await send("/sign-in")));
	});

	it("does not serve the _headers file itself", async () => {
		const res = await env.ASSETS.fetch(new Request("http://localhost/_headers"));
		expect(res.status).toBe(404);
	});
});
