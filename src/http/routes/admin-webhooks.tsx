// The admin pages of webhooks under /admin/webhooks: triggers (list, create, settings, delete),
// secret rotation (a new secret shown once), the delivery log, one delivery, and replay. Plain
// forms with the CSRF token, working without JavaScript; 404 for anyone but an admin.
import { Hono } from "hono";
import type { z } from "zod";
import {
	type FormState,
	SecretShownPage,
	WebhooksPage,
} from "../../../templates/admin/webhooks.tsx";
import { DeliveryPage } from "../../../templates/admin/webhooks-delivery.tsx";
import { deliveryHref, TriggerPage } from "../../../templates/admin/webhooks-trigger.tsx";
import {
	deleteTrigger,
	findDelivery,
	findTrigger,
	listDeliveries,
	listTriggers,
} from "../../db/webhooks.ts";
import { listWorkflows } from "../../db/workflows.ts";
import {
	createTriggerAs,
	deliveryDetail,
	deliveryView,
	hookUrl,
	rotateSecretAs,
	triggerView,
	updateTriggerAs,
} from "../../webhooks/admin.ts";
import { replayDelivery } from "../../webhooks/replay.ts";
import {
	createTriggerSchema,
	DEFAULT_RATE_LIMIT_PER_MINUTE,
	type Scheme,
	type Trigger,
	updateTriggerSchema,
} from "../../webhooks/trigger.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { chromeOf, noticeTextOf, redirect, withNotice } from "../view-models/page-context.ts";
import { type AdminContext, adminName, posted } from "./admin/guard.ts";
import { decodeCursor, encodeCursor } from "./api/http.ts";

const PAGE_SIZE = 50;

const triggerPath = (key: string) => `/admin/webhooks/${encodeURIComponent(key)}`;

/** zod issues as form errors, one per field (the first), keyed by the form's field names. */
function formErrors(error: z.ZodError): Record<string, string> {
	const errors: Record<string, string> = {};
	for (const issue of error.issues) {
		const [head, next] = issue.path.map(String);
		const field =
			head === "jwt"
				? `jwt${(next ?? "algorithm").replace(/^./, (s) => s.toUpperCase())}`
				: (head ?? "form");
		const where = head === "mapping" && next ? `${next}: ` : "";
		errors[field] ??= `${where}${issue.message}`;
	}
	return errors;
}

/** The issues an AppError carries (`details.issues`), as form errors. */
function appErrors(e: AppError): Record<string, string> {
	const issues = (e.details as { issues?: { path: string; message: string }[] } | undefined)
		?.issues;
	if (!issues) return { form: e.message };
	return Object.fromEntries(issues.map((i) => [i.path.split(".")[0] || "form", i.message]));
}

function parseMapping(text: string): { ok: true; value: unknown } | { ok: false } {
	try {
		return { ok: true, value: JSON.parse(text.trim() === "" ? "{}" : text) };
	} catch {
		return { ok: false };
	}
}

function optionalInt(text: string | undefined): number | null | undefined {
	const t = (text ?? "").trim();
	if (t === "") return undefined;
	return /^-?\d+$/.test(t) ? Number(t) : Number.NaN;
}

const EMPTY_FORM: FormState = {
	values: {
		kind: "start",
		scheme: "standard",
		jwtAlgorithm: "HS256",
		mapping: "{}",
		rateLimitPerMinute: String(DEFAULT_RATE_LIMIT_PER_MINUTE),
		enabled: "true",
	},
	errors: {},
};

function settingsForm(trigger: Trigger): FormState {
	return {
		values: {
			name: trigger.name,
			workflowKey: trigger.workflowKey,
			mapping: JSON.stringify(trigger.mapping, null, 2),
			priority: trigger.priority === null ? "" : String(trigger.priority),
			rateLimitPerMinute: String(trigger.rateLimitPerMinute),
			jwtAudience: trigger.jwt?.audience ?? "",
			jwtIssuer: trigger.jwt?.issuer ?? "",
			enabled: String(trigger.enabled),
		},
		errors: {},
	};
}

/** How a sender signs a request to this trigger, as shell commands (docs/webhooks.md has more). */
function signingExample(url: string, scheme: Scheme): string {
	const body = `body='{"order":{"id":"A-42"}}'`;
	if (scheme === "github") {
		return [
			body,
			`sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)`,
			`curl -X POST '${url}' -H 'content-type: application/json' \\`,
			`  -H "x-github-delivery: $(date +%s)-$RANDOM" -H "x-hub-signature-256: sha256=$sig" -d "$body"`,
		].join("\n");
	}
	if (scheme === "jwt") {
		return [
			body,
			"# The token: jti (the delivery id), iat, exp, aud, and body_sha256 = the body's SHA-256 (hex),",
			"# signed with the trigger's algorithm (docs/webhooks.md shows it with jose in Node).",
			`curl -X POST '${url}' -H 'content-type: application/json' \\`,
			`  -H "authorization: Bearer $token" -d "$body"`,
		].join("\n");
	}
	return [
		body,
		`id="msg_$(date +%s)_$RANDOM"; ts=$(date +%s)`,
		`key=$(printf '%s' "\${secret#whsec_}" | base64 -d | od -An -vtx1 | tr -d ' \\n')`,
		`sig=$(printf '%s' "$id.$ts.$body" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)`,
		`curl -X POST '${url}' -H 'content-type: application/json' \\`,
		`  -H "webhook-id: $id" -H "webhook-timestamp: $ts" -H "webhook-signature: v1,$sig" -d "$body"`,
	].join("\n");
}

async function workflowChoices(db: D1Database) {
	return (await listWorkflows(db)).map((w) => ({ key: w.key, name: w.name }));
}

async function listPage(c: AdminContext, form: FormState, status: 200 | 422 = 200) {
	const origin = new URL(c.req.url).origin;
	const [triggers, workflows] = await Promise.all([
		listTriggers(c.env.DB),
		workflowChoices(c.env.DB),
	]);
	const rows = triggers.map((t) => ({ ...t, url: hookUrl(origin, t.key) }));
	return c.html(
		<WebhooksPage
			chrome={chromeOf(c)}
			triggers={rows}
			workflows={workflows}
			form={form}
			notice={noticeTextOf(c, "webhooks")}
		/>,
		status,
	);
}

async function triggerPage(
	c: AdminContext,
	key: string,
	form?: FormState,
	status: 200 | 422 = 200,
) {
	const found = await findTrigger(c.env.DB, key);
	if (!found) throw new AppError("not_found", "No such webhook trigger.");
	const origin = new URL(c.req.url).origin;
	const filter = c.req.query("status");
	const statusFilter =
		filter === "accepted" || filter === "duplicate" || filter === "refused" ? filter : undefined;
	const after = decodeCursor(c.req.query("cursor") || undefined);
	const [page, workflows] = await Promise.all([
		listDeliveries(c.env.DB, key, {
			status: statusFilter,
			after: after && { receivedAt: after.at, id: after.id },
			limit: PAGE_SIZE,
		}),
		workflowChoices(c.env.DB),
	]);
	const view = triggerView(found.trigger, found.secrets, origin, Date.now());
	const older = page.next
		? `${triggerPath(key)}?${new URLSearchParams({
				...(statusFilter ? { status: statusFilter } : {}),
				cursor: encodeCursor(page.next.receivedAt, page.next.id),
			})}`
		: null;
	return c.html(
		<TriggerPage
			chrome={chromeOf(c)}
			trigger={view}
			workflows={workflows}
			form={form ?? settingsForm(found.trigger)}
			deliveries={page.items.map(deliveryView)}
			status={statusFilter}
			olderHref={older}
			example={signingExample(view.url, view.scheme)}
			notice={noticeTextOf(c, "webhooks")}
		/>,
		status,
	);
}

export const adminWebhookRoutes = new Hono<AppEnv>()
	.get("/webhooks", (c) => listPage(c, EMPTY_FORM))
	.post("/webhooks", async (c) => {
		const form = await posted(c);
		const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v ?? ""]));
		values.enabled = form.enabled === "true" ? "true" : "false";
		const mapping = parseMapping(values.mapping ?? "");
		const scheme = values.scheme;
		const input = {
			key: values.key ?? "",
			name: values.name ?? "",
			kind: values.kind,
			scheme,
			workflowKey: values.workflowKey ?? "",
			...(scheme === "jwt"
				? {
						jwt: {
							algorithm: values.jwtAlgorithm,
							audience: values.jwtAudience ?? "",
							issuer: values.jwtIssuer?.trim() || null,
						},
					}
				: {}),
			mapping: mapping.ok ? mapping.value : {},
			priority: optionalInt(values.priority) ?? null,
			enabled: values.enabled === "true",
			rateLimitPerMinute: optionalInt(values.rateLimitPerMinute) ?? undefined,
			...(values.secret?.trim() ? { secret: values.secret.trim() } : {}),
		};
		const parsed = createTriggerSchema.safeParse(input);
		const errors = parsed.success ? {} : formErrors(parsed.error);
		if (!mapping.ok) errors.mapping = "The mapping is not valid JSON.";
		if (!parsed.success || !mapping.ok) return listPage(c, { values, errors }, 422);
		let created: Awaited<ReturnType<typeof createTriggerAs>>;
		try {
			created = await createTriggerAs(c.env.DB, parsed.data, { by: adminName(c), now: Date.now() });
		} catch (e) {
			if (!(e instanceof AppError) || e.code === "not_found") throw e;
			const fields = e.code === "conflict" ? { key: e.message } : appErrors(e);
			return listPage(c, { values, errors: fields }, 422);
		}
		c.header("Cache-Control", "no-store");
		return c.html(
			<SecretShownPage
				chrome={chromeOf(c)}
				heading="Trigger created"
				trigger={{
					...created.trigger,
					url: hookUrl(new URL(c.req.url).origin, created.trigger.key),
				}}
				secret={created.secret}
			/>,
			201,
		);
	})
	.get("/webhooks/:key", (c) => triggerPage(c, c.req.param("key")))
	.post("/webhooks/:key", async (c) => {
		const key = c.req.param("key");
		const found = await findTrigger(c.env.DB, key);
		if (!found) throw new AppError("not_found", "No such webhook trigger.");
		const form = await posted(c);
		const values = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, v ?? ""]));
		values.enabled = form.enabled === "true" ? "true" : "false";
		const mapping = parseMapping(values.mapping ?? "");
		const patch = {
			name: values.name ?? "",
			workflowKey: values.workflowKey ?? "",
			mapping: mapping.ok ? mapping.value : {},
			...(found.trigger.kind === "start" ? { priority: optionalInt(values.priority) ?? null } : {}),
			enabled: values.enabled === "true",
			rateLimitPerMinute: optionalInt(values.rateLimitPerMinute) ?? DEFAULT_RATE_LIMIT_PER_MINUTE,
			...(found.trigger.jwt
				? { jwtAudience: values.jwtAudience ?? "", jwtIssuer: values.jwtIssuer?.trim() || null }
				: {}),
		};
		const parsed = updateTriggerSchema.safeParse(patch);
		const errors = parsed.success ? {} : formErrors(parsed.error);
		if (!mapping.ok) errors.mapping = "The mapping is not valid JSON.";
		if (!parsed.success || !mapping.ok) return triggerPage(c, key, { values, errors }, 422);
		try {
			await updateTriggerAs(c.env.DB, key, parsed.data, Date.now(), c.get("user").id);
		} catch (e) {
			if (!(e instanceof AppError) || e.code === "not_found") throw e;
			return triggerPage(c, key, { values, errors: appErrors(e) }, 422);
		}
		return redirect(c, withNotice(triggerPath(key), "updated"));
	})
	.post("/webhooks/:key/secrets", async (c) => {
		const key = c.req.param("key");
		const form = await posted(c);
		const overlap = optionalInt(form.overlapSeconds);
		const secret = form.secret?.trim();
		const rotated = await rotateSecretAs(
			c.env.DB,
			key,
			{
				...(secret ? { secret } : {}),
				...(overlap !== undefined && overlap !== null && Number.isInteger(overlap) && overlap >= 0
					? { overlapSeconds: Math.min(overlap, 30 * 24 * 3600) }
					: {}),
			},
			{ by: adminName(c), now: Date.now() },
		);
		const found = await findTrigger(c.env.DB, key);
		if (!found) throw new AppError("not_found", "No such webhook trigger.");
		c.header("Cache-Control", "no-store");
		return c.html(
			<SecretShownPage
				chrome={chromeOf(c)}
				heading="Secret rotated"
				trigger={{ ...found.trigger, url: hookUrl(new URL(c.req.url).origin, key) }}
				secret={rotated.secret}
				previousValidUntil={rotated.previousValidUntil}
			/>,
		);
	})
	.post("/webhooks/:key/delete", async (c) => {
		if (!(await deleteTrigger(c.env.DB, c.req.param("key"), c.get("user").id))) {
			throw new AppError("not_found", "No such webhook trigger.");
		}
		return redirect(c, withNotice("/admin/webhooks", "deleted"));
	})
	.get("/webhook-deliveries/:id", async (c) => {
		const row = await findDelivery(c.env.DB, c.req.param("id"));
		if (!row) throw new AppError("not_found", "No such delivery.");
		return c.html(
			<DeliveryPage
				chrome={chromeOf(c)}
				delivery={deliveryDetail(row)}
				notice={noticeTextOf(c, "webhooks")}
			/>,
		);
	})
	.post("/webhook-deliveries/:id/replay", async (c) => {
		const row = await findDelivery(c.env.DB, c.req.param("id"));
		if (!row) throw new AppError("not_found", "No such delivery.");
		try {
			const accepted = await replayDelivery(c.env, row.id, {
				by: adminName(c),
				origin: new URL(c.req.url).origin,
				now: Date.now(),
			});
			return redirect(c, withNotice(deliveryHref(accepted.logId), "replayed"));
		} catch (e) {
			// Refused again: the new refusal is logged with its reason at the top of the log.
			if (!(e instanceof AppError) || e.code === "conflict") throw e;
			return redirect(c, withNotice(triggerPath(row.triggerKey), "replay-refused"));
		}
	});
