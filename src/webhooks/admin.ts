// What admins do with triggers, shared by the JSON API and the admin pages: create (with a
// generated secret shown once), change, rotate secrets, and the views of triggers and deliveries.
// Input arrives parsed by the zod schemas of trigger.ts; the cross-record checks happen here.
import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { workflows } from "../db/schema/index.ts";
import {
	createTrigger,
	type DeliveryRow,
	findTrigger,
	rotateSecret,
	type SecretRow,
	secretView,
	updateTrigger,
} from "../db/webhooks.ts";
import { AppError } from "../errors.ts";
import { fromBase64 } from "./bytes.ts";
import {
	type CreateTriggerInput,
	DEFAULT_OVERLAP_SECONDS,
	generateSecret,
	type RotateSecretInput,
	secretProblem,
	type Trigger,
	type UpdateTriggerInput,
} from "./trigger.ts";

export function hookUrl(origin: string, key: string): string {
	return `${origin}/hooks/${key}`;
}

export function triggerView(
	trigger: Trigger,
	secrets: readonly SecretRow[],
	origin: string,
	now: number,
) {
	return {
		key: trigger.key,
		url: hookUrl(origin, trigger.key),
		name: trigger.name,
		kind: trigger.kind,
		workflowKey: trigger.workflowKey,
		scheme: trigger.scheme,
		jwt: trigger.jwt,
		mapping: trigger.mapping,
		priority: trigger.priority,
		enabled: trigger.enabled,
		rateLimitPerMinute: trigger.rateLimitPerMinute,
		createdAt: trigger.createdAt,
		updatedAt: trigger.updatedAt,
		secrets: secrets.map((s) => secretView(s, now)),
	};
}

export type TriggerView = ReturnType<typeof triggerView>;

/** A logged delivery for the admin; `replayable` when it was refused and its body was kept. */
export function deliveryView(row: DeliveryRow) {
	return {
		id: row.id,
		triggerKey: row.triggerKey,
		deliveryId: row.deliveryId,
		receivedAt: row.receivedAt,
		status: row.status as "accepted" | "duplicate" | "refused",
		httpStatus: row.httpStatus,
		code: row.code,
		reason: row.reason,
		processId: row.processId,
		taskId: row.taskId,
		bodySize: row.bodySize,
		replayOf: row.replayOf,
		replayedBy: row.replayedBy,
		replayable: row.status === "refused" && row.body !== null,
	};
}

export type DeliveryView = ReturnType<typeof deliveryView>;

/** With the headers and the body as text, for one delivery's page. */
export function deliveryDetail(row: DeliveryRow) {
	const bytes = row.body === null ? null : fromBase64(row.body);
	return {
		...deliveryView(row),
		headers: row.headers,
		body: bytes === null ? null : new TextDecoder().decode(bytes),
	};
}

async function requireWorkflow(db: D1Database, key: string): Promise<void> {
	const [row] = await drizzle(db)
		.select({ key: workflows.key })
		.from(workflows)
		.where(eq(workflows.key, key))
		.limit(1);
	if (!row) {
		throw new AppError("invalid_params", `There is no workflow "${key}".`, {
			issues: [{ path: "workflowKey", message: "no such workflow" }],
		});
	}
}

/** Creates a trigger; the generated secret (if any) is returned this once. */
export async function createTriggerAs(
	db: D1Database,
	input: CreateTriggerInput,
	opts: { by: string; now: number },
): Promise<{ trigger: Trigger; secrets: SecretRow[]; secret: string | null }> {
	await requireWorkflow(db, input.workflowKey);
	const generated =
		input.secret === undefined ? generateSecret(input.scheme, input.jwt?.algorithm) : null;
	const material = input.secret ?? generated;
	if (material === null) {
		throw new AppError("invalid_params", "Give the sender's public keys (a JWKS).", {
			issues: [{ path: "secret", message: "paste the sender's public JWKS" }],
		});
	}
	const created = await createTrigger(db, input, material, opts);
	if (!created) throw new AppError("conflict", `A trigger "${input.key}" exists already.`);
	const found = await findTrigger(db, input.key);
	if (!found) throw new Error(`trigger ${input.key} vanished after creation`);
	return { ...found, secret: generated };
}

export async function updateTriggerAs(
	db: D1Database,
	key: string,
	patch: UpdateTriggerInput,
	now: number,
	by?: string,
): Promise<{ trigger: Trigger; secrets: SecretRow[] }> {
	const found = await findTrigger(db, key);
	if (!found) throw new AppError("not_found", "No such webhook trigger.");
	if (patch.workflowKey !== undefined) await requireWorkflow(db, patch.workflowKey);
	if (patch.mapping !== undefined && found.trigger.kind === "event") {
		const names = Object.keys(patch.mapping);
		if (names.length !== 1 || names[0] !== "correlationKey") {
			throw new AppError("invalid_params", "An event trigger maps correlationKey only.", {
				issues: [{ path: "mapping", message: "map correlationKey, and nothing else" }],
			});
		}
	}
	if ((patch.jwtAudience !== undefined || patch.jwtIssuer !== undefined) && !found.trigger.jwt) {
		throw new AppError("invalid_params", "Only a jwt trigger has an audience and an issuer.");
	}
	await updateTrigger(db, key, patch, now, by);
	const updated = await findTrigger(db, key);
	if (!updated) throw new AppError("not_found", "No such webhook trigger.");
	return updated;
}

/**
 * Adds a new current secret (given, or generated and returned this once); the previous one stays
 * valid for the overlap (default one day), older ones stop now.
 */
export async function rotateSecretAs(
	db: D1Database,
	key: string,
	input: RotateSecretInput,
	opts: { by: string; now: number },
): Promise<{ id: string; secret: string | null; previousValidUntil: number | null }> {
	const found = await findTrigger(db, key);
	if (!found) throw new AppError("not_found", "No such webhook trigger.");
	const { scheme, jwt } = found.trigger;
	const generated = input.secret === undefined ? generateSecret(scheme, jwt?.algorithm) : null;
	const material = input.secret ?? generated;
	const problem =
		material === null
			? "paste the sender's public JWKS"
			: secretProblem(scheme, jwt?.algorithm, material);
	if (material === null || problem) {
		throw new AppError("invalid_params", "The secret does not fit this trigger.", {
			issues: [{ path: "secret", message: problem }],
		});
	}
	const overlapSeconds = input.overlapSeconds ?? DEFAULT_OVERLAP_SECONDS;
	const hadCurrent = found.secrets.some((s) => s.expiresAt === null);
	const row = await rotateSecret(db, key, material, { ...opts, overlapMs: overlapSeconds * 1000 });
	return {
		id: row.id,
		secret: generated,
		previousValidUntil: hadCurrent ? opts.now + overlapSeconds * 1000 : null,
	};
}
