// The messages on the `baton-notify` queue, validated on arrival (the queue is a door like any
// other). `tasks`: task rows the index writer just wrote, for the recorder to turn into notices;
// `notices`: notices already addressed (mentions, due dates); `flush`: send what a person has waiting.
import { z } from "zod";
import { NOTICE_KINDS } from "./kinds.ts";

const id = z.string().min(1).max(300);

export const changedTaskSchema = z.strictObject({
	id,
	nodeName: z.string().max(300),
	role: z.string().max(200).nullable(),
	assignee: z.string().max(200).nullable(),
});
export type ChangedTask = z.infer<typeof changedTaskSchema>;

export const addressedNoticeSchema = z.strictObject({
	key: z.string().min(1).max(700),
	userId: id,
	kind: z.enum(NOTICE_KINDS),
	processId: id,
	taskId: id.nullable(),
	text: z.string().min(1).max(1000),
	path: z.string().min(1).max(700),
});
export type AddressedNotice = z.infer<typeof addressedNoticeSchema>;

export const notifyMessageSchema = z.discriminatedUnion("type", [
	z.strictObject({
		type: z.literal("tasks"),
		processId: id,
		processName: z.string().max(300).nullable(),
		tasks: z.array(changedTaskSchema).min(1).max(100),
	}),
	z.strictObject({
		type: z.literal("notices"),
		notices: z.array(addressedNoticeSchema).min(1).max(100),
	}),
	z.strictObject({ type: z.literal("flush"), userId: id }),
]);
export type NotifyMessage = z.infer<typeof notifyMessageSchema>;

/** What a producer needs of the `NOTIFY` queue binding (structural: plain Node can load producers). */
export interface NotifyQueue {
	send(body: NotifyMessage): Promise<unknown>;
}
