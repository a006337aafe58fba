// O2 for administrators: migrate running processes of a workflow to one of its published versions
// with a node mapping, or see the dry run first. Each process plans (and applies) its own
// migration in its ProcessObject, atomically; those that cannot move stay, with the plan's reasons.
import type { CurrentUser } from "../auth/current-user.ts";
import { toActor } from "../auth/current-user.ts";
import { isAdmin } from "../auth/permissions.ts";
import { recordAudits } from "../db/audit.ts";
import { migrationCandidates } from "../db/process-index.ts";
import { findPublishedVersion } from "../db/workflows.ts";
import { processStub } from "../durable/process-client.ts";
import { EngineError, type MigrationPlan, type NodeMapping } from "../engine/index.ts";
import { isPlausibleId } from "./access.ts";

/** The most processes one request migrates; more are selected a page at a time (`after`). */
export const MIGRATION_PAGE = 100;
/** How many ProcessObjects are asked at once. */
const PARALLEL = 8;

export interface MigrationRequest {
	workflowKey: string;
	toVersion: number;
	mapping: NodeMapping;
	dryRun: boolean;
	/** These processes; otherwise the running ones of other versions (or of `fromVersion`). */
	processIds?: string[];
	fromVersion?: number;
	/** The last process id of the previous page, for a selection by filter. */
	after?: string;
	limit?: number;
}

export type MigrationResult =
	| { processId: string; migrated: boolean; plan: MigrationPlan }
	| { processId: string; migrated: false; error: { code: string; message: string } };

export interface MigrationReport {
	toVersion: number;
	dryRun: boolean;
	results: MigrationResult[];
	/** Set when the selection by filter has more processes: pass it as `after`. */
	next: string | null;
}

async function selected(env: Env, request: MigrationRequest, limit: number) {
	if (request.processIds) return { ids: request.processIds.slice(0, limit), next: null };
	const rows = await migrationCandidates(env.DB, request.workflowKey, {
		toVersion: request.toVersion,
		limit,
		...(request.fromVersion === undefined ? {} : { fromVersion: request.fromVersion }),
		...(request.after ? { afterId: request.after } : {}),
	});
	const ids = rows.map((r) => r.id);
	return { ids, next: ids.length === limit ? (ids.at(-1) ?? null) : null };
}

/** O2: plans (dry run) or applies the migration of the selected processes, each on its own. */
export async function migrateProcesses(
	env: Env,
	user: CurrentUser,
	request: MigrationRequest,
): Promise<MigrationReport> {
	if (!isAdmin(user)) throw new EngineError("forbidden", "Only administrators may do this.");
	const definition = await findPublishedVersion(env.DB, request.workflowKey, request.toVersion);
	if (!definition) {
		throw new EngineError(
			"not_found",
			`"${request.workflowKey}" has no published version ${request.toVersion}.`,
		);
	}
	const limit = Math.min(request.limit ?? MIGRATION_PAGE, MIGRATION_PAGE);
	const { ids, next } = await selected(env, request, limit);
	const actor = toActor(user);
	const results: MigrationResult[] = [];
	for (let i = 0; i < ids.length; i += PARALLEL) {
		const chunk = ids.slice(i, i + PARALLEL);
		results.push(
			...(await Promise.all(
				chunk.map(async (processId): Promise<MigrationResult> => {
					if (!isPlausibleId(processId)) {
						return {
							processId,
							migrated: false,
							error: { code: "not_found", message: "There is no such process." },
						};
					}
					const answer = await processStub(env, processId).migrate({
						definition,
						mapping: request.mapping,
						dryRun: request.dryRun,
						actor,
					});
					return answer.ok
						? { processId, migrated: answer.migrated, plan: answer.plan }
						: { processId, migrated: false, error: answer.error };
				}),
			)),
		);
	}
	const applied = results.filter((r) => r.migrated && "plan" in r);
	if (applied.length > 0) {
		await recordAudits(
			env.DB,
			applied.map((r) => ({
				actor: user.id,
				action: "process.migrated",
				target: r.processId,
				details: {
					workflowKey: request.workflowKey,
					from: "plan" in r ? r.plan.from : null,
					to: request.toVersion,
					mapping: request.mapping,
				},
			})),
		);
	}
	return { toVersion: request.toVersion, dryRun: request.dryRun, results, next };
}
