// The inbox filters a person saved under a name: the query string of an inbox address (filters and
// order), so a saved filter is also a link anyone may open (each reader sees their own tasks in it).
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { users } from "./people.ts";

export const savedFilters = sqliteTable(
	"saved_filters",
	{
		id: text("id").primaryKey(),
		userId: text("user_id")
			.notNull()
			.references(() => users.id),
		name: text("name").notNull(),
		/** The inbox query string, normalized (inboxHref of the parsed filter), without the `?`. */
		query: text("query").notNull(),
		createdAt: integer("created_at").notNull(),
	},
	(t) => [index("saved_filters_user_idx").on(t.userId, t.name)],
);
