// The signed-in user's own account: their API tokens (create, shown once; list with last use;
// revoke), the notification settings, "sign out everywhere", (GET /api/me, for scripts to check a
// token, is routes/api/me.ts).
import type { Context } from "hono";
import { Hono } from "hono";
import { z } from "zod";
import {
	AccountPage,
	type AccountView,
	type NotificationsForm,
} from "../../../templates/account.tsx";
import {
	API_SCOPES,
	type ApiScope,
	isApiScope,
	parseTaskTypeList,
	scopeDescriptions,
} from "../../auth/api-tokens.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "../../auth/credential-store.ts";
import { endAllSessions, listRoles } from "../../db/people.ts";
import {
	CHANNELS,
	type Channel,
	type Choices,
	digestWindowMs,
	NOTICE_KINDS,
} from "../../notifications/kinds.ts";
import { saveSettings, settingsOf } from "../../notifications/settings.ts";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.tsx";
import { requireUser } from "../middleware/authorize.ts";
import { clearSessionCookie } from "../middleware/cookies.ts";
import { redirect } from "./session.tsx";

const DAY_MS = 24 * 60 * 60 * 1000;
/** A user keeps at most this many live tokens. */
const MAX_LIVE_TOKENS = 20;
/** Scopes only administrators may give a token (a token never does more than its user may). */
const ADMIN_ONLY_SCOPES: readonly ApiScope[] = ["admin", "external-tasks"];

const newTokenSchema = z.object({
	name: z.string().trim().min(1, "Give the token a name.").max(80, "Use at most 80 characters."),
	scopes: z
		.array(z.string().max(32))
		.max(API_SCOPES.length)
		.refine((s) => s.length > 0, "Choose at least one scope.")
		.refine((s) => s.every(isApiScope), "Choose scopes from the list."),
	expires: z.enum(["30", "90", "365", "never"]),
	taskTypes: z.string().max(2000, "Use at most 2,000 characters."),
});

export const accountRoutes = new Hono<AppEnv>();

accountRoutes.get("/account", async (c) => c.html(<AccountPage {...(await view(c))} />));

accountRoutes.post("/account/tokens", async (c) => {
	const user = requireUser(c);
	const body = await c.req.parseBody({ all: true });
	const raw = {
		name: typeof body.name === "string" ? body.name : "",
		scopes: ([] as unknown[]).concat(body.scopes ?? []).filter((s) => typeof s === "string"),
		expires: typeof body.expires === "string" ? body.expires : "90",
		taskTypes: typeof body.taskTypes === "string" ? body.taskTypes : "",
	};
	const parsed = newTokenSchema.safeParse(raw);
	const errors: Record<string, string> = {};
	let taskTypes: string[] = [];
	if (!parsed.success) {
		for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
	} else {
		const adminOnly = parsed.data.scopes.find((s) => ADMIN_ONLY_SCOPES.includes(s as ApiScope));
		if (adminOnly && !user.isAdmin) {
			errors.scopes = `Only administrators can give a token the ${adminOnly} scope.`;
		}
		const types = parseTaskTypeList(parsed.data.taskTypes);
		const external = parsed.data.scopes.includes("external-tasks");
		if (!types.ok) errors.taskTypes = types.message;
		else if (external && types.types.length === 0) {
			errors.taskTypes = "Name the task types this token's workers serve.";
		} else if (!external && types.types.length > 0) {
			errors.taskTypes = "Task types need the external-tasks scope.";
		} else taskTypes = types.types;
	}
	const now = Date.now();
	const tokens = await listApiTokens(c.env.DB, user.id);
	const live = tokens.filter((t) => t.revokedAt === null && (t.expiresAt ?? now + 1) > now);
	if (live.length >= MAX_LIVE_TOKENS) {
		errors.name = `You have ${MAX_LIVE_TOKENS} live tokens; revoke one first.`;
	}
	if (!parsed.success || Object.keys(errors).length > 0) {
		const form = { ...raw, errors };
		return c.html(<AccountPage {...(await view(c, { form }))} />, 422);
	}
	const { name, scopes, expires } = parsed.data;
	const created = await createApiToken(c.env.DB, {
		userId: user.id,
		name,
		scopes: scopes as ApiScope[],
		externalTaskTypes: taskTypes,
		expiresAt: expires === "never" ? null : now + Number(expires) * DAY_MS,
		now,
	});
	// The secret is in this page only: keep it out of every cache.
	c.header("Cache-Control", "no-store");
	return c.html(
		<AccountPage {...(await view(c, { created: { name, token: created.token } }))} />,
		201,
	);
});

accountRoutes.post("/account/tokens/:id/revoke", async (c) => {
	const user = requireUser(c);
	const id = c.req.param("id");
	const revoked = id.length <= 64 && (await revokeApiToken(c.env.DB, user.id, id, Date.now()));
	if (!revoked) throw new AppError("not_found", "There is no such token.");
	return redirect(c, "/account");
});

/** A webhook URL people may give: https, a host name, no credentials in it. */
export function webhookUrlProblem(raw: string): string | null {
	let url: URL;
	try {
		url = new URL(raw);
	} catch {
		return "Give a full URL, starting with https://.";
	}
	if (url.protocol !== "https:") return "Use an https:// URL.";
	if (url.username || url.password) return "Leave the user name and password out of the URL.";
	if (/^[\d.]+$|^\[|^localhost$/i.test(url.hostname)) {
		return "Use the webhook's host name, not an address or localhost.";
	}
	return null;
}

accountRoutes.post("/account/notifications", async (c) => {
	const user = requireUser(c);
	const body = await c.req.parseBody({ all: true });
	const choices = {} as Choices;
	for (const kind of NOTICE_KINDS) {
		const given = ([] as unknown[]).concat(body[kind] ?? []);
		choices[kind] = CHANNELS.filter((ch) => given.includes(ch)) as Channel[];
	}
	const rawUrl = typeof body.webhookUrl === "string" ? body.webhookUrl.trim() : "";
	const errors: NotificationsForm["errors"] = {};
	if (rawUrl.length > 2000) errors.webhookUrl = "Use at most 2,000 characters.";
	else if (rawUrl !== "") {
		const problem = webhookUrlProblem(rawUrl);
		if (problem) errors.webhookUrl = problem;
	} else if (NOTICE_KINDS.some((k) => choices[k].includes("webhook"))) {
		errors.webhookUrl = "Give a webhook URL, or untick Webhook.";
	}
	if (errors.webhookUrl) {
		const notifications = { choices, webhookUrl: rawUrl, errors, digestMinutes: digestMinutes(c) };
		return c.html(<AccountPage {...(await view(c, { notifications }))} />, 422);
	}
	await saveSettings(c.env.DB, user.id, { choices, webhookUrl: rawUrl || null }, Date.now());
	return redirect(c, "/account?saved=notifications#notifications");
});

accountRoutes.post("/account/sessions/end", async (c) => {
	const user = requireUser(c);
	await endAllSessions(c.env.DB, user.id);
	clearSessionCookie(c);
	return redirect(c, "/sign-in");
});

function digestMinutes(c: Context<AppEnv>): number {
	return digestWindowMs(c.env as { NOTIFY_DIGEST_MINUTES?: string }) / 60_000;
}

async function view(c: Context<AppEnv>, extra: Partial<AccountView> = {}): Promise<AccountView> {
	const user = requireUser(c);
	const [tokens, roles, settings] = await Promise.all([
		listApiTokens(c.env.DB, user.id),
		listRoles(c.env.DB),
		settingsOf(c.env.DB, user.id),
	]);
	const names = new Map(roles.map((r) => [r.key, r.name]));
	return {
		csrfToken: c.var.csrfToken,
		user: {
			displayName: user.displayName,
			email: user.email,
			isAdmin: user.isAdmin,
			roles: user.roles.map((key) => ({ key, name: names.get(key) ?? key })),
		},
		hasPasswordSession: user.via === "session",
		tokens,
		scopes: API_SCOPES.filter((s) => !ADMIN_ONLY_SCOPES.includes(s) || user.isAdmin).map((key) => ({
			key,
			description: scopeDescriptions[key],
		})),
		now: Date.now(),
		notifications: {
			choices: settings.choices,
			webhookUrl: settings.webhookUrl ?? "",
			digestMinutes: digestMinutes(c),
			...(c.req.query("saved") === "notifications" ? { saved: true } : {}),
		},
		...extra,
	};
}
