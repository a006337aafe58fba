// What a message is on its way between publishers and waiting tasks (N1–N3), the limits every
// door applies to it, and what a MessageBox answers about one. Shared by the box, the publisher,
// the outbox and the API, so none of them imports another's implementation.

/** The longest message name and correlation key, as the `message` and `send` task types allow. */
export const MAX_NAME_LENGTH = 200;
export const MAX_CORRELATION_KEY_LENGTH = 1000;
/** A message id: visible ASCII, so a publisher can reuse its own ids (an order number, a UUID). */
export const MESSAGE_ID_RE = /^[\x21-\x7e]{1,200}$/;

/** How long a message nobody waits for is kept, unless its publisher says otherwise. */
export const DEFAULT_TTL_SECONDS = 24 * 60 * 60;
/** The longest a message may be kept: a box must not fill up with what nobody will take. */
export const MAX_TTL_SECONDS = 30 * 24 * 60 * 60;
/**
 * A handled message id is remembered at least this long (or its time-to-live, if longer), so a
 * publisher retrying a short-lived message is still answered with what happened to the first one.
 */
export const REMEMBER_IDS_MS = 24 * 60 * 60 * 1000;

/** A message as a box receives it. */
export interface BoxMessage {
	id: string;
	name: string;
	correlationKey: string;
	payload: unknown;
	ttlSeconds: number;
	/** Only tasks of this workflow may take it (a webhook trigger's events); absent: any. */
	workflowKey?: string;
	/**
	 * Whether it is kept when nobody waits. False once it started processes (N3): a message is
	 * kept only when nothing took it.
	 */
	keep: boolean;
}

/** A waiting task, as its process's outbox announces it (N1). */
export interface Subscriber {
	name: string;
	correlationKey: string;
	processId: string;
	taskId: string;
	workflowKey: string;
	/** When the task began to wait (epoch ms): the longest-waiting task is served first. */
	since: number;
}

/** What became of a message in its box. */
export type BoxStatus =
	| { status: "delivered"; processId: string; taskId: string }
	| { status: "kept"; expiresAt: number }
	| { status: "expired"; expiresAt: number }
	/** Nobody waited and it was not to be kept (it started processes instead). */
	| { status: "discarded" };

/** A publish's answer; a repeated publish of the same id answers what became of the first. */
export type BoxOutcome = BoxStatus & {
	/** True when the box knew this message id already. */
	duplicate: boolean;
};

/** The box's contents, for tests and the consistency checks. */
export interface BoxContents {
	subscribers: { processId: string; taskId: string; since: number }[];
	kept: { id: string; expiresAt: number; payload: unknown }[];
	/** Ids remembered, kept or not, with their status. */
	known: { id: string; status: string }[];
}

/** The MessageBox's RPC methods (the class implements this; callers import only this). */
export interface MessageBoxRpc {
	publish(message: BoxMessage): Promise<BoxOutcome>;
	subscribe(subscriber: Subscriber): Promise<void>;
	unsubscribe(processId: string, taskId: string): Promise<void>;
	contents(): Promise<BoxContents>;
}

/** The one box of a message name and correlation key. */
export function messageBox(env: Env, name: string, correlationKey: string): MessageBoxRpc {
	return env.MESSAGES.getByName(JSON.stringify([name, correlationKey])) as unknown as MessageBoxRpc;
}
