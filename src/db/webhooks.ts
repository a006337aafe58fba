// Repository of webhook triggers, their secrets (rotation: the newest plus the previous one until
// its overlap ends) and the delivery log (one row per receipt, pruned to the latest per trigger).
// Multi-row changes are one `batch`: D1 has no interactive transactions (https://developers.cloudflare.com/d1/worker-api/d1-database/).
import { and, asc, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { JwtAlgorithm } from "../webhooks/jwt.ts";
import { payloadMappingSchema } from "../webhooks/mapping.ts";
import {
	DEFAULT_RATE_LIMIT_PER_MINUTE,
	SCHEMES,
	type Scheme,
	TRIGGER_KINDS,
	type Trigger,
	type TriggerKind,
	type UpdateTriggerInput,
} from "../webhooks/trigger.ts";
import { auditInsert } from "./audit.ts";
import { webhookDeliveries, webhookSecrets, webhookTriggers } from "./schema/index.ts";

/** The log keeps this many deliveries per trigger; older ones are pruned as new ones arrive. */
export const DELIVERIES_KEPT = 1000;

type TriggerRow = typeof webhookTriggers.$inferSelect;
export type SecretRow = typeof webhookSecrets.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export interface SecretView {
	id: string;
	hint: string;
	createdAt: number;
	expiresAt: number | null;
	live: boolean;
}

/** The row as a Trigger, or undefined when it no longer validates (then it accepts nothing). */
function toTrigger(row: TriggerRow): Trigger | undefined {
	const mapping = payloadMappingSchema.safeParse(row.mapping);
	const kind = row.kind as TriggerKind;
	const scheme = row.scheme as Scheme;
	if (!mapping.success || !TRIGGER_KINDS.includes(kind) || !SCHEMES.includes(scheme)) {
		return undefined;
	}
	const jwt =
		scheme === "jwt" && row.jwtAlgorithm && row.jwtAudience
			? {
					algorithm: row.jwtAlgorithm as JwtAlgorithm,
					audience: row.jwtAudience,
					issuer: row.jwtIssuer,
				}
			: null;
	if (scheme === "jwt" && !jwt) return undefined;
	return {
		key: row.key,
		name: row.name,
		kind,
		workflowKey: row.workflowKey,
		scheme,
		jwt,
		mapping: mapping.data,
		priority: row.priority,
		enabled: row.enabled,
		rateLimitPerMinute: row.rateLimitPerMinute,
		createdAt: row.createdAt,
		updatedAt: row.updatedAt,
		createdBy: row.createdBy,
	};
}

function isLive(secret: SecretRow, now: number): boolean {
	return secret.expiresAt === null || secret.expiresAt > now;
}

function hintOf(material: string): string {
	return material.trim().startsWith("{") ? "JWKS" : `…${material.slice(-4)}`;
}

export function secretView(secret: SecretRow, now: number): SecretView {
	return {
		id: secret.id,
		hint: secret.hint,
		createdAt: secret.createdAt,
		expiresAt: secret.expiresAt,
		live: isLive(secret, now),
	};
}

/** The trigger with every secret (newest first), in one round trip. */
export async function findTrigger(
	db: D1Database,
	key: string,
): Promise<{ trigger: Trigger; secrets: SecretRow[] } | undefined> {
	const d = drizzle(db);
	const [rows, secrets] = await d.batch([
		d.select().from(webhookTriggers).where(eq(webhookTriggers.key, key)).limit(1),
		d
			.select()
			.from(webhookSecrets)
			.where(eq(webhookSecrets.triggerKey, key))
			.orderBy(desc(webhookSecrets.createdAt), desc(webhookSecrets.id)),
	]);
	const row = rows[0];
	const trigger = row && toTrigger(row);
	return trigger ? { trigger, secrets } : undefined;
}

/** The secret material valid at `now` (the current one, and the previous during its overlap). */
export function liveSecrets(secrets: readonly SecretRow[], now: number): string[] {
	return secrets.filter((s) => isLive(s, now)).map((s) => s.material);
}

export async function listTriggers(db: D1Database): Promise<Trigger[]> {
	const rows = await drizzle(db).select().from(webhookTriggers).orderBy(asc(webhookTriggers.key));
	return rows.map(toTrigger).filter((t): t is Trigger => t !== undefined);
}

export interface NewTrigger {
	key: string;
	name: string;
	kind: TriggerKind;
	workflowKey: string;
	scheme: Scheme;
	jwt?: { algorithm: JwtAlgorithm; audience: string; issuer?: string | null } | undefined;
	mapping: unknown;
	priority?: number | null | undefined;
	enabled?: boolean | undefined;
	rateLimitPerMinute?: number | undefined;
}

/** Creates the trigger with its first secret; false when the key is taken. */
export async function createTrigger(
	db: D1Database,
	input: NewTrigger,
	material: string,
	opts: { now: number; by: string | null },
): Promise<boolean> {
	const d = drizzle(db);
	try {
		await d.batch([
			d.insert(webhookTriggers).values({
				key: input.key,
				name: input.name,
				kind: input.kind,
				workflowKey: input.workflowKey,
				scheme: input.scheme,
				jwtAlgorithm: input.jwt?.algorithm ?? null,
				jwtAudience: input.jwt?.audience ?? null,
				jwtIssuer: input.jwt?.issuer ?? null,
				mapping: input.mapping,
				priority: input.priority ?? null,
				enabled: input.enabled ?? true,
				rateLimitPerMinute: input.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
				createdAt: opts.now,
				updatedAt: opts.now,
				createdBy: opts.by,
			}),
			d.insert(webhookSecrets).values(newSecret(input.key, material, opts)),
			...(opts.by
				? [
						auditInsert(d, {
							actor: opts.by,
							action: "webhook.created",
							target: input.key,
							details: { kind: input.kind, workflowKey: input.workflowKey, scheme: input.scheme },
							at: opts.now,
						}),
					]
				: []),
		]);
	} catch (e) {
		if (/UNIQUE|PRIMARY KEY/i.test(String(e))) return false;
		throw e;
	}
	return true;
}

function newSecret(triggerKey: string, material: string, opts: { now: number; by: string | null }) {
	return {
		id: `whs_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`,
		triggerKey,
		material,
		hint: hintOf(material),
		createdAt: opts.now,
		expiresAt: null,
		createdBy: opts.by,
	};
}

export async function updateTrigger(
	db: D1Database,
	key: string,
	patch: UpdateTriggerInput,
	now: number,
	by?: string,
): Promise<boolean> {
	const set: Partial<typeof webhookTriggers.$inferInsert> = { updatedAt: now };
	if (patch.name !== undefined) set.name = patch.name;
	if (patch.workflowKey !== undefined) set.workflowKey = patch.workflowKey;
	if (patch.mapping !== undefined) set.mapping = patch.mapping;
	if (patch.priority !== undefined) set.priority = patch.priority;
	if (patch.enabled !== undefined) set.enabled = patch.enabled;
	if (patch.rateLimitPerMinute !== undefined) set.rateLimitPerMinute = patch.rateLimitPerMinute;
	if (patch.jwtAudience !== undefined) set.jwtAudience = patch.jwtAudience;
	if (patch.jwtIssuer !== undefined) set.jwtIssuer = patch.jwtIssuer;
	const d = drizzle(db);
	const update = d
		.update(webhookTriggers)
		.set(set)
		.where(eq(webhookTriggers.key, key))
		.returning({ key: webhookTriggers.key });
	if (!by) return (await update).length > 0;
	// The changed fields are named, not their values: a mapping may say where secrets come from.
	const fields = Object.keys(set).filter((k) => k !== "updatedAt");
	const audit = { actor: by, action: "webhook.updated", target: key, details: { fields }, at: now };
	const [rows] = await d.batch([update, auditInsert(d, audit)]);
	return rows.length > 0;
}

/** Deletes the trigger, its secrets and its delivery log. */
export async function deleteTrigger(db: D1Database, key: string, by?: string): Promise<boolean> {
	const d = drizzle(db);
	const audit = by ? [auditInsert(d, { actor: by, action: "webhook.deleted", target: key })] : [];
	const [, , deleted] = await d.batch([
		d.delete(webhookDeliveries).where(eq(webhookDeliveries.triggerKey, key)),
		d.delete(webhookSecrets).where(eq(webhookSecrets.triggerKey, key)),
		d
			.delete(webhookTriggers)
			.where(eq(webhookTriggers.key, key))
			.returning({ key: webhookTriggers.key }),
		...audit,
	]);
	return deleted.length > 0;
}

/**
 * Rotation: the new secret becomes current; the previous current one stays valid for `overlapMs`
 * (two valid at once), and any older one stops now. In one batch.
 */
export async function rotateSecret(
	db: D1Database,
	key: string,
	material: string,
	opts: { now: number; by: string | null; overlapMs: number },
): Promise<SecretRow> {
	const d = drizzle(db);
	const live = and(
		eq(webhookSecrets.triggerKey, key),
		or(isNull(webhookSecrets.expiresAt), gt(webhookSecrets.expiresAt, opts.now)),
	);
	const row = newSecret(key, material, opts);
	const overlapEnd = opts.now + opts.overlapMs;
	await d.batch([
		// Older than the current one: end now.
		d
			.update(webhookSecrets)
			.set({ expiresAt: opts.now })
			.where(and(live, sql`${webhookSecrets.expiresAt} IS NOT NULL`)),
		// The current one: valid until the overlap ends.
		d
			.update(webhookSecrets)
			.set({ expiresAt: overlapEnd })
			.where(and(live, isNull(webhookSecrets.expiresAt))),
		d.insert(webhookSecrets).values(row),
		...(opts.by
			? [
					auditInsert(d, {
						actor: opts.by,
						action: "webhook.secret_rotated",
						target: key,
						details: { secretId: row.id, hint: row.hint },
						at: opts.now,
					}),
				]
			: []),
	]);
	return row;
}

// ---------------------------------------------------------------------------------------------
// The delivery log

export type NewDelivery = Omit<DeliveryRow, "id">;

function newDeliveryId(): string {
	return `whd_${crypto.randomUUID().replaceAll("-", "")}`;
}

function pruneOlder(d: ReturnType<typeof drizzle>, triggerKey: string) {
	return d.delete(webhookDeliveries).where(
		and(
			eq(webhookDeliveries.triggerKey, triggerKey),
			lt(
				webhookDeliveries.receivedAt,
				sql`(SELECT received_at FROM webhook_deliveries WHERE trigger_key = ${triggerKey}
				     ORDER BY received_at DESC LIMIT 1 OFFSET ${DELIVERIES_KEPT - 1})`,
			),
		),
	);
}

/** Appends a receipt to the log (and prunes the oldest beyond the kept number). */
export async function recordDelivery(db: D1Database, delivery: NewDelivery): Promise<string> {
	const d = drizzle(db);
	const id = newDeliveryId();
	await d.batch([
		d.insert(webhookDeliveries).values({ id, ...delivery }),
		pruneOlder(d, delivery.triggerKey),
	]);
	return id;
}

/**
 * Records an accepted delivery unless its dedupe key was accepted before (by an earlier or a
 * concurrent copy; a partial unique index decides). Returns the row id, or null when it was taken.
 */
export async function claimAccepted(
	db: D1Database,
	delivery: NewDelivery & { status: "accepted" },
): Promise<string | null> {
	const d = drizzle(db);
	const id = newDeliveryId();
	const [inserted] = await d.batch([
		d
			.insert(webhookDeliveries)
			.values({ id, ...delivery })
			.onConflictDoNothing()
			.returning({ id: webhookDeliveries.id }),
		pruneOlder(d, delivery.triggerKey),
	]);
	return inserted.length > 0 ? id : null;
}

/** The accepted delivery with this dedupe key, if any. */
export async function findAccepted(
	db: D1Database,
	triggerKey: string,
	dedupeKey: string,
): Promise<DeliveryRow | undefined> {
	const [row] = await drizzle(db)
		.select()
		.from(webhookDeliveries)
		.where(
			and(
				eq(webhookDeliveries.triggerKey, triggerKey),
				eq(webhookDeliveries.dedupeKey, dedupeKey),
				eq(webhookDeliveries.status, "accepted"),
			),
		)
		.limit(1);
	return row;
}

export async function findDelivery(db: D1Database, id: string): Promise<DeliveryRow | undefined> {
	const [row] = await drizzle(db)
		.select()
		.from(webhookDeliveries)
		.where(eq(webhookDeliveries.id, id))
		.limit(1);
	return row;
}

export interface DeliveryPage {
	items: DeliveryRow[];
	next: { receivedAt: number; id: string } | null;
}

/** The log of a trigger, newest first, `limit` at a time after the cursor. */
export async function listDeliveries(
	db: D1Database,
	triggerKey: string,
	opts: {
		status?: string | undefined;
		after?: { receivedAt: number; id: string } | undefined;
		limit: number;
	},
): Promise<DeliveryPage> {
	const conditions = [eq(webhookDeliveries.triggerKey, triggerKey)];
	if (opts.status) conditions.push(eq(webhookDeliveries.status, opts.status));
	if (opts.after) {
		const { receivedAt, id } = opts.after;
		conditions.push(
			or(
				lt(webhookDeliveries.receivedAt, receivedAt),
				and(eq(webhookDeliveries.receivedAt, receivedAt), lt(webhookDeliveries.id, id)),
			) as ReturnType<typeof eq>,
		);
	}
	const rows = await drizzle(db)
		.select()
		.from(webhookDeliveries)
		.where(and(...conditions))
		.orderBy(desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id))
		.limit(opts.limit + 1);
	const items = rows.slice(0, opts.limit);
	const last = items.at(-1);
	return {
		items,
		next: rows.length > opts.limit && last ? { receivedAt: last.receivedAt, id: last.id } : null,
	};
}
