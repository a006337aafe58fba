// Every D1 table, for drizzle-kit and for the repositories.
export * from "./audit.ts";
export * from "./bulk.ts";
export * from "./comments.ts";
export * from "./credentials.ts";
export * from "./messages.ts";
export * from "./notifications.ts";
export * from "./people.ts";
export * from "./permissions.ts";
export * from "./process-index.ts";
export * from "./retention.ts";
export * from "./saved-filters.ts";
export * from "./schedules.ts";
export * from "./webhooks.ts";
export * from "./workflows.ts";
