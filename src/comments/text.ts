// A comment's plain text, read two ways: the @mentions it makes of the people who may be mentioned
// (those of the process's roles), and the pieces a page shows (text, links, mentions), so a
// template escapes every piece and only http(s) links become anchors.

/** The longest comment, in characters. */
export const MAX_COMMENT_CHARS = 5000;

/** How long its author may still edit a comment, in ms (10 minutes). */
export const EDIT_WINDOW_MS = 10 * 60 * 1000;

export interface Mentionable {
	id: string;
	email: string;
	displayName: string;
}

export type Piece =
	| { kind: "text"; text: string }
	| { kind: "link"; text: string; href: string }
	| { kind: "mention"; text: string; userId: string; name: string };

// An @ not preceded by a word character (so emails in the text are not mentions), then a handle.
const MENTION = /(?<![\w.@])@([A-Za-z0-9][A-Za-z0-9._+-]*(?:@[A-Za-z0-9.-]+[A-Za-z0-9])?)/g;
const LINK = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** The person a handle names: their full email, or its part before the @ (case-insensitive). */
function personOf(handle: string, people: readonly Mentionable[]): Mentionable | undefined {
	const h = handle.toLowerCase();
	return (
		people.find((p) => p.email.toLowerCase() === h) ??
		people.find((p) => p.email.toLowerCase().split("@")[0] === h)
	);
}

/** The ids of the people the text mentions, once each, in the order first mentioned. */
export function mentionsIn(text: string, people: readonly Mentionable[]): string[] {
	const ids: string[] = [];
	for (const match of text.matchAll(MENTION)) {
		const person = personOf(match[1] ?? "", people);
		if (person && !ids.includes(person.id)) ids.push(person.id);
	}
	return ids;
}

/** The text cut into pieces to show: links (http and https only) and known mentions. */
export function piecesOf(text: string, people: readonly Mentionable[]): Piece[] {
	type Found = { start: number; end: number; piece: Piece };
	const found: Found[] = [];
	for (const m of text.matchAll(LINK)) {
		found.push({
			start: m.index,
			end: m.index + m[0].length,
			piece: { kind: "link", text: m[0], href: m[0] },
		});
	}
	for (const m of text.matchAll(MENTION)) {
		const person = personOf(m[1] ?? "", people);
		const start = m.index;
		if (!person || found.some((f) => start >= f.start && start < f.end)) continue;
		found.push({
			start,
			end: start + m[0].length,
			piece: { kind: "mention", text: m[0], userId: person.id, name: person.displayName },
		});
	}
	found.sort((a, b) => a.start - b.start);
	const pieces: Piece[] = [];
	let at = 0;
	for (const f of found) {
		if (f.start > at) pieces.push({ kind: "text", text: text.slice(at, f.start) });
		pieces.push(f.piece);
		at = f.end;
	}
	if (at < text.length) pieces.push({ kind: "text", text: text.slice(at) });
	return pieces;
}

/** A comment's text as stored: line ends made plain, surrounding blank space removed. */
export function cleanCommentText(raw: string): string {
	return raw.replace(/\r\n?/g, "\n").trim();
}
