// Each person's notification choices in D1: read for the account page and the recorder, written by
// the account page. A person without a row has the defaults.
import { inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { notificationSettings } from "../db/schema/index.ts";
import { type Choices, parseChoices } from "./kinds.ts";

export interface Settings {
	choices: Choices;
	webhookUrl: string | null;
}

export async function settingsOf(db: D1Database, userId: string): Promise<Settings> {
	return (await settingsOfMany(db, [userId])).get(userId) ?? defaults();
}

/** The settings of several people in one read; everyone asked is in the map. */
export async function settingsOfMany(
	db: D1Database,
	userIds: readonly string[],
): Promise<Map<string, Settings>> {
	const out = new Map<string, Settings>();
	if (userIds.length === 0) return out;
	const rows = await drizzle(db)
		.select()
		.from(notificationSettings)
		.where(inArray(notificationSettings.userId, [...new Set(userIds)]));
	for (const id of userIds) out.set(id, defaults());
	for (const row of rows) {
		out.set(row.userId, { choices: parseChoices(row.choices), webhookUrl: row.webhookUrl });
	}
	return out;
}

export async function saveSettings(
	db: D1Database,
	userId: string,
	settings: Settings,
	now: number,
): Promise<void> {
	const row = {
		choices: JSON.stringify(settings.choices),
		webhookUrl: settings.webhookUrl,
		updatedAt: now,
	};
	await drizzle(db)
		.insert(notificationSettings)
		.values({ userId, ...row })
		.onConflictDoUpdate({ target: notificationSettings.userId, set: row });
}

function defaults(): Settings {
	return { choices: parseChoices(null), webhookUrl: null };
}
