// Receiving one delivery for a trigger: verify the signature over the raw bytes (before anything
// else is written), parse and map the payload, then start the process (idempotent on the signed
// delivery id, S3) or hand the event to its waiting task (deliver-event.ts). Every outcome is
// logged; a refusal is thrown as an AppError, mapped once by src/http/errors.tsx.
import { liveSecrets, type SecretRow } from "../db/webhooks.ts";
import { EngineError } from "../engine/index.ts";
import { AppError } from "../errors.ts";
import { MAX_JSON_DEPTH, TOO_DEEP_MESSAGE, tooDeep } from "../json-depth.ts";
import { startFromTrigger } from "../processes/acts.ts";
import { deliverEvent } from "./deliver-event.ts";
import { type DeliveryIds, DeliveryLog } from "./delivery-log.ts";
import { verifyGithub } from "./github.ts";
import { verifyJwt } from "./jwt.ts";
import { applyMapping } from "./mapping.ts";
import { type Accepted, acceptedInto, type DeliveryContext } from "./outcome.ts";
import type { Receipt } from "./receipt.ts";
import { verifyStandard } from "./standard-webhooks.ts";
import type { Trigger } from "./trigger.ts";
import { DELIVERY_ID_RE, type RefusalReason, type Verdict } from "./verdict.ts";

/**
 * The trigger's rate limit, counted once the signature is judged: `verified` for a delivery whose
 * signature holds, `refused` for one whose does not; each throws the 429 (not logged) past the
 * limit. Replays are not counted.
 */
export interface RateGate {
	verified(): Promise<void>;
	refused(): Promise<void>;
}

export interface FoundTrigger {
	trigger: Trigger;
	secrets: readonly SecretRow[];
}

function verify({ trigger, secrets }: FoundTrigger, receipt: Receipt): Promise<Verdict> {
	const input = {
		headers: receipt.headers,
		body: receipt.body,
		secrets: liveSecrets(secrets, receipt.verifyAt),
		now: receipt.verifyAt,
	};
	if (trigger.scheme === "github") return verifyGithub(input);
	if (trigger.scheme === "jwt" && trigger.jwt)
		return verifyJwt({ ...input, settings: trigger.jwt });
	return verifyStandard(input);
}

const BAD_REQUEST: ReadonlySet<RefusalReason> = new Set(["missing_headers", "malformed_headers"]);

/** The delivery id a refused request claims (unverified, for the admin to find it), if well-formed. */
function claimedId(receipt: Receipt): string | null {
	const id = receipt.headers["webhook-id"] ?? receipt.headers["x-github-delivery"];
	return id !== undefined && DELIVERY_ID_RE.test(id) ? id : null;
}

/**
 * Handles one receipt (the caller found the trigger); throws refusals, each logged. Whatever else
 * goes wrong is logged too (as refused, 500, with what was thrown) before it leaves as a 500, so
 * the admin sees every delivery that arrived.
 */
export async function receiveDelivery(
	env: Env,
	found: FoundTrigger,
	receipt: Receipt,
	rate?: RateGate,
): Promise<Accepted> {
	const log = new DeliveryLog(env.DB, found.trigger, receipt);
	try {
		return await receive(env, found, receipt, log, rate);
	} catch (e) {
		const rateLimited = e instanceof AppError && e.code === "rate_limited";
		if (!log.written && !rateLimited) {
			const known = e instanceof AppError || e instanceof EngineError;
			if (known) {
				const error = asAppError(e);
				throw await log.refuse(error, `${error.code}: ${error.message}`, {
					deliveryId: claimedId(receipt),
				});
			}
			await log.failed(e, claimedId(receipt)).catch(() => undefined);
		}
		throw e;
	}
}

async function receive(
	env: Env,
	found: FoundTrigger,
	receipt: Receipt,
	log: DeliveryLog,
	rate: RateGate | undefined,
): Promise<Accepted> {
	const { trigger } = found;
	const verdict = await verify(found, receipt);
	await (verdict.ok ? rate?.verified() : rate?.refused());
	if (!verdict.ok) {
		const code = BAD_REQUEST.has(verdict.reason) ? "invalid_request" : "unauthorized";
		const error = new AppError(code, verdict.message, { reason: verdict.reason });
		throw await log.refuse(error, verdict.reason, { deliveryId: claimedId(receipt) });
	}
	const ids: DeliveryIds = { deliveryId: verdict.deliveryId, dedupeKey: verdict.dedupeKey };
	if (!trigger.enabled) {
		const error = new AppError("not_found", "This webhook trigger is disabled.");
		throw await log.refuse(error, "trigger_disabled", ids);
	}
	let payload: unknown;
	try {
		const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(receipt.body);
		if (tooDeep(text)) {
			const error = new AppError("invalid_params", TOO_DEEP_MESSAGE, {
				reason: "too_deep",
				maxDepth: MAX_JSON_DEPTH,
			});
			throw await log.refuse(
				error,
				`too_deep: the JSON is nested more than ${MAX_JSON_DEPTH} levels deep`,
				ids,
			);
		}
		payload = JSON.parse(text);
	} catch (e) {
		if (e instanceof AppError) throw e;
		throw await log.refuse(
			new AppError("invalid_request", "The body is not JSON."),
			"invalid_json",
			ids,
		);
	}
	if (trigger.scheme === "github" && receipt.headers["x-github-event"] === "ping") {
		const { logId } = await log.accept(ids, { processId: null, taskId: null }, 200, "ping");
		return { status: 200, logId, body: { deliveryId: ids.deliveryId, pong: true } };
	}
	const mapped = applyMapping(trigger.mapping, payload);
	if (!mapped.ok) {
		const error = new AppError(
			"invalid_params",
			"The payload does not fit the trigger's mapping.",
			{
				problems: mapped.problems,
			},
		);
		const reason = mapped.problems.map((p) => `${p.param}: ${p.message}`).join("; ");
		throw await log.refuse(error, reason, ids);
	}
	if (trigger.kind === "event") {
		return deliverEvent(env, { trigger, log, ids, origin: receipt.origin }, mapped.params, payload);
	}
	return startFromDelivery(env, { trigger, log, ids, origin: receipt.origin }, mapped.params);
}

/** An engine error (workflow not published, no start nodes…) as a refusal of the delivery. */
export function asAppError(e: unknown): AppError {
	if (e instanceof AppError) return e;
	if (e instanceof EngineError) return new AppError(e.code, e.message, e.details);
	throw e;
}

/** S3: the signed dedupe key names the process, so every copy of a delivery finds the first one. */
async function startFromDelivery(
	env: Env,
	{ trigger, log, ids, origin }: DeliveryContext,
	params: Record<string, unknown>,
): Promise<Accepted> {
	let processId: string;
	try {
		({ processId } = await startFromTrigger(env, trigger.key, {
			workflowKey: trigger.workflowKey,
			params,
			priority: trigger.priority,
			idempotencyKey: `hook:${trigger.key}:${ids.dedupeKey}`,
		}));
	} catch (e) {
		const error = asAppError(e);
		throw await log.refuse(error, `${error.code}: ${error.message}`, ids);
	}
	const { logId, first } = await log.accept(ids, { processId, taskId: null }, 202);
	return acceptedInto({ ids, origin }, logId, first, processId);
}
