// The pure rules of notifications (docs/notifications.md): choices and their defaults, the digest
// window, due events, what a mail and a webhook say, who a changed task row tells, mentions, and
// the `email` task's recipients.
import { describe, expect, it } from "vitest";
import {
	composeMessage,
	DEFAULT_CHOICES,
	DIGEST_WINDOW_MS,
	digestWindowMs,
	dueNoticeKind,
	nextDeliveryAt,
	parseChoices,
	webhookBody,
} from "../../../src/notifications/kinds.ts";
import { mentionNotices } from "../../../src/notifications/mentions.ts";
import { tasksToTell } from "../../../src/notifications/task-changes.ts";
import { PermanentTaskError } from "../../../src/tasks/define-task.ts";
import { parseRecipients } from "../../../src/tasks/email.ts";

const HOUR = 3_600_000;

describe("choices", () => {
	it("NT2 gives everything by email to a person who saved nothing", () => {
		expect(parseChoices(null)).toEqual(DEFAULT_CHOICES);
		expect(parseChoices("not json")).toEqual(DEFAULT_CHOICES);
	});

	it("NT2 keeps what was saved and defaults a kind added since", () => {
		expect(parseChoices('{"assigned":["webhook","webhook"],"queued":[]}')).toEqual({
			...DEFAULT_CHOICES,
			assigned: ["webhook"],
			queued: [],
		});
	});
});

describe("the digest rule", () => {
	it("NT3 lets the first delivery go at once and the next at the end of the window", () => {
		expect(nextDeliveryAt(null, 1000)).toBe(1000);
		expect(nextDeliveryAt(0, 60_000)).toBe(DIGEST_WINDOW_MS);
		expect(nextDeliveryAt(0, DIGEST_WINDOW_MS + 1)).toBe(DIGEST_WINDOW_MS + 1);
	});

	it("NT3 takes the window a deployment sets, 0 to 60 minutes", () => {
		expect(digestWindowMs({})).toBe(DIGEST_WINDOW_MS);
		expect(digestWindowMs({ NOTIFY_DIGEST_MINUTES: "0" })).toBe(0);
		expect(digestWindowMs({ NOTIFY_DIGEST_MINUTES: "15" })).toBe(15 * 60_000);
		expect(digestWindowMs({ NOTIFY_DIGEST_MINUTES: "90" })).toBe(DIGEST_WINDOW_MS);
		expect(digestWindowMs({ NOTIFY_DIGEST_MINUTES: "1.5" })).toBe(DIGEST_WINDOW_MS);
	});

	it("NT3 words one notice as itself and several as one digest", () => {
		const one = { kind: "assigned" as const, text: "A is assigned to you", link: "/tasks/a" };
		const two = { kind: "due" as const, text: "B is due", link: "/tasks/b" };
		expect(composeMessage([one])).toEqual({
			subject: "A is assigned to you",
			text: "A is assigned to you\n\n/tasks/a\n",
		});
		expect(composeMessage([one, two]).subject).toBe("Baton: 2 things for you");
		expect(composeMessage([one, two]).text).toContain("- B is due\n  /tasks/b");
		expect(webhookBody([one])).toEqual({
			text: "A is assigned to you\n\n/tasks/a\n",
			summary: "A is assigned to you",
		});
	});
});

describe("due events", () => {
	it("NT1 calls a task due soon within a day of its due date and overdue after it", () => {
		expect(dueNoticeKind(30 * HOUR, 0)).toBeNull();
		expect(dueNoticeKind(24 * HOUR, 0)).toBe("due-soon");
		expect(dueNoticeKind(0, 0)).toBe("overdue");
	});
});

describe("who a changed task row tells", () => {
	const row = {
		id: "p/t1",
		nodeName: "Review",
		status: "PENDING",
		role: "clerks",
		assignee: "u1",
		awaitingInput: true,
	};

	it("NT1 tells about active tasks awaiting input only", () => {
		expect(tasksToTell([row])).toEqual([
			{ id: "p/t1", nodeName: "Review", role: "clerks", assignee: "u1" },
		]);
		expect(tasksToTell([{ ...row, awaitingInput: false }])).toEqual([]);
		expect(tasksToTell([{ ...row, status: "SUCCESS" }])).toEqual([]);
		expect(tasksToTell([{ ...row, role: null, assignee: null }])).toEqual([]);
	});
});

describe("mentions", () => {
	it("NT1 tells each person mentioned once, never the author, with a short quote", () => {
		const list = mentionNotices({
			userIds: ["a", "b", "b"],
			by: { id: "a", name: "Ada" },
			processId: "p-1",
			commentId: "c/9",
			text: "x".repeat(200),
		});
		expect(list.map((n) => n.key)).toEqual(["mentioned:c/9:b"]);
		expect(list[0]?.path).toBe("/processes/p-1#comment-c%2F9");
		expect(list[0]?.text.length).toBeLessThan(170);
		expect(list[0]?.text.endsWith("…”")).toBe(true);
	});
});

describe("the email task's recipients", () => {
	it("reads a list or text with commas and semicolons, once each", () => {
		expect(parseRecipients("to", "a@example.com, b@example.org; a@example.com")).toEqual([
			"a@example.com",
			"b@example.org",
		]);
		expect(parseRecipients("cc", ["c@example.com"])).toEqual(["c@example.com"]);
		expect(parseRecipients("cc", undefined)).toEqual([]);
	});

	it.each([
		["ada at example", 'to: "ada at example" is not an email address'],
		["Ada <ada@example.com>", 'to: "Ada <ada@example.com>" is not an email address'],
		[[42], "to: 42 is not an email address"],
	])("refuses %j as a permanent failure", (value, message) => {
		let error: unknown;
		try {
			parseRecipients("to", value);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(PermanentTaskError);
		expect((error as PermanentTaskError).message).toBe(message);
		expect((error as PermanentTaskError).code).toBe("BAD_RECIPIENT");
	});
});
