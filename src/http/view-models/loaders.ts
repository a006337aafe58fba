// Loading what a process or task page shows: the ProcessObject's view (the source of truth, so a
// stale index never grants access), the object-level checks (404 when the viewer may not see it),
// the history and the names behind the ids. The routes stay thin; the view models stay pure.
import type { CurrentUser } from "../../auth/current-user.ts";
import { roleNames, userNames } from "../../db/people.ts";
import { processStub } from "../../durable/process-client.ts";
import type { ProcessView } from "../../durable/process-object.ts";
import type { StoredEvent } from "../../durable/process-store.ts";
import { visibleProcess, visibleTask } from "../../processes/access.ts";
import { handOverChoices } from "../../processes/hand-over.ts";
import { loadCollaboration } from "./comments.ts";
import { type ProcessPageView, processPageView } from "./process-page.ts";
import type { Typed } from "./task-form.ts";
import { type TaskPageView, taskOf, taskPageView } from "./task-page.ts";

const HISTORY_PAGE = 500;
const HISTORY_PAGES = 40;
const HISTORY_KEEP = 1000;

/**
 * The history, oldest first: all of it for an ordinary process; for a very long one, its newest
 * events (a sliding window), with how many older ones were left out.
 */
export async function historyOf(
	env: Env,
	processId: string,
): Promise<{ events: StoredEvent[]; skipped: number }> {
	const stub = processStub(env, processId);
	let events: StoredEvent[] = [];
	let skipped = 0;
	let after = 0;
	for (let page = 0; page < HISTORY_PAGES; page++) {
		const batch = await stub.history(after, HISTORY_PAGE);
		events = events.concat(batch);
		if (events.length > HISTORY_KEEP) {
			skipped += events.length - HISTORY_KEEP;
			events = events.slice(-HISTORY_KEEP);
		}
		if (batch.length < HISTORY_PAGE) break;
		after = batch[batch.length - 1]?.seq ?? after;
	}
	return { events, skipped };
}

function peopleIn(view: ProcessView, events: StoredEvent[]): string[] {
	const ids = new Set<string>();
	if (view.startedBy) ids.add(view.startedBy);
	for (const t of view.state.tasks) {
		if (t.assignee) ids.add(t.assignee);
		if (t.submittedBy) ids.add(t.submittedBy);
	}
	for (const e of events) {
		if (e.actor) ids.add(e.actor);
		const assignee = e.data?.assignee;
		if (typeof assignee === "string") ids.add(assignee);
	}
	return [...ids];
}

export async function loadProcessPage(
	env: Env,
	user: CurrentUser,
	processId: string,
	now: number,
	commentRefused?: { typed: string; error: string },
): Promise<ProcessPageView> {
	const view = await visibleProcess(env, user, processId);
	const { events, skipped } = await historyOf(env, processId);
	const [names, roles, collaboration] = await Promise.all([
		userNames(env.DB, peopleIn(view, events)),
		roleNames(env.DB),
		loadCollaboration(env, user, view, now),
	]);
	return processPageView({
		collaboration,
		...(commentRefused ? { commentRefused } : {}),
		view,
		events,
		skippedEvents: skipped,
		userNames: names,
		roleNames: roles,
		viewer: user,
		now,
	});
}

export interface TaskPageOptions {
	nonce: string;
	typed?: Typed;
	errors?: Record<string, string>;
	/** An already loaded view (after a rejected submit), to save a round trip. */
	view?: ProcessView;
	/** The submit lost a race: say what happened and keep what was typed. */
	raced?: boolean;
	/** A comment that came back refused: what was typed and why. */
	commentRefused?: { typed: string; error: string };
}

export async function loadTaskPage(
	env: Env,
	user: CurrentUser,
	taskId: string,
	now: number,
	options: TaskPageOptions,
): Promise<TaskPageView> {
	const view = options.view ?? (await visibleTask(env, user, taskId)).view;
	const task = taskOf(view, taskId);
	const ids = [task.assignee, task.submittedBy].filter((x): x is string => typeof x === "string");
	const [names, roles, collaboration, handOver] = await Promise.all([
		userNames(env.DB, ids),
		roleNames(env.DB),
		loadCollaboration(env, user, view, now, taskId),
		handOverChoices(env.DB, user, view, task),
	]);
	return taskPageView({
		collaboration,
		handOver,
		...(options.commentRefused ? { commentRefused: options.commentRefused } : {}),
		view,
		taskId,
		viewer: user,
		userNames: names,
		roleNames: roles,
		now,
		nonce: options.nonce,
		...(options.typed ? { typed: options.typed } : {}),
		...(options.errors ? { errors: options.errors } : {}),
		...(options.raced ? { raced: true } : {}),
	});
}
