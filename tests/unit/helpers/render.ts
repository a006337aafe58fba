// A template's HTML in a unit test: hono/jsx elements render themselves with toString(), at once
// when no component is async (none of the pages' are).
export function renderToString(element: unknown): string {
	const html = (element as { toString(): string | Promise<string> }).toString();
	if (typeof html !== "string") throw new Error("an async component: await its toString()");
	return html;
}
