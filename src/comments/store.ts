// People's comments in D1: added, edited by their author within the edit window, listed by
// process, removed with the process (retention). Who may see or write one is the routes' decision.
import { and, asc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { listMembers } from "../db/people.ts";
import { comments } from "../db/schema/index.ts";
import type { WorkflowDefinition } from "../engine/index.ts";
import type { Mentionable } from "./text.ts";

export type CommentRow = typeof comments.$inferSelect;

export interface NewComment {
	processId: string;
	taskId: string | null;
	authorId: string;
	body: string;
	mentions: string[];
	now: number;
}

export function newCommentId(): string {
	return `c-${crypto.randomUUID().replaceAll("-", "")}`;
}

export async function addComment(
	db: D1Database,
	input: NewComment,
	id = newCommentId(),
): Promise<CommentRow> {
	const row: CommentRow = {
		id,
		processId: input.processId,
		taskId: input.taskId,
		authorId: input.authorId,
		body: input.body,
		mentions: input.mentions,
		createdAt: input.now,
		editedAt: null,
	};
	await drizzle(db).insert(comments).values(row);
	return row;
}

export async function findComment(db: D1Database, id: string): Promise<CommentRow | undefined> {
	if (!/^c-[0-9a-f]{32}$/.test(id)) return undefined;
	const [row] = await drizzle(db).select().from(comments).where(eq(comments.id, id)).limit(1);
	return row;
}

/** Replaces the text and mentions; only the row's author (the route checks the window). */
export async function editComment(
	db: D1Database,
	id: string,
	authorId: string,
	body: string,
	mentions: string[],
	now: number,
): Promise<void> {
	await drizzle(db)
		.update(comments)
		.set({ body, mentions, editedAt: now })
		.where(and(eq(comments.id, id), eq(comments.authorId, authorId)));
}

/** A process's comments, oldest first (the page keeps those the viewer may see). */
export function listComments(db: D1Database, processId: string): Promise<CommentRow[]> {
	return drizzle(db)
		.select()
		.from(comments)
		.where(eq(comments.processId, processId))
		.orderBy(asc(comments.createdAt), asc(comments.id));
}

/** Retention: every comment of the process. */
export async function removeProcessComments(db: D1Database, processId: string): Promise<void> {
	await drizzle(db).delete(comments).where(eq(comments.processId, processId));
}

/** The role keys a workflow's nodes name, scopes' inner nodes included. */
export function rolesOfDefinition(definition: WorkflowDefinition): string[] {
	const roles = new Set<string>();
	const walk = (nodes: readonly { role?: string; nodes?: unknown }[]) => {
		for (const node of nodes) {
			if (node.role) roles.add(node.role);
			if (Array.isArray(node.nodes)) walk(node.nodes as { role?: string }[]);
		}
	};
	walk(definition.nodes);
	return [...roles];
}

/** The people a comment in this process may mention: the active members of its roles. */
export async function mentionablePeople(
	db: D1Database,
	definition: WorkflowDefinition,
): Promise<Mentionable[]> {
	const lists = await Promise.all(rolesOfDefinition(definition).map((r) => listMembers(db, r)));
	const byId = new Map<string, Mentionable>();
	for (const m of lists.flat()) {
		if (m.active) byId.set(m.userId, { id: m.userId, email: m.email, displayName: m.displayName });
	}
	return [...byId.values()];
}

/** Comment ids that exist among `ids` (attachments name the comment they came with). */
export async function existingComments(db: D1Database, ids: string[]): Promise<Set<string>> {
	if (ids.length === 0) return new Set();
	const rows = await drizzle(db)
		.select({ id: comments.id })
		.from(comments)
		.where(inArray(comments.id, ids));
	return new Set(rows.map((r) => r.id));
}
