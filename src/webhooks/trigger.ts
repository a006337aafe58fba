// What a trigger is, as admins write it (zod, shared by the JSON API, the admin pages and the
// OpenAPI document) and as the receiver reads it back from D1 (re-validated on every delivery).
import { z } from "zod";
import { generateGithubSecret, isGithubSecret } from "./github.ts";
import {
	generateJwtSharedSecret,
	isJwtSharedSecret,
	JWT_ALGORITHMS,
	type JwtAlgorithm,
	parsePublicJwks,
} from "./jwt.ts";
import { type PayloadMapping, payloadMappingSchema } from "./mapping.ts";
import { generateStandardSecret, parseStandardSecret } from "./standard-webhooks.ts";

export const TRIGGER_KINDS = ["start", "event"] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];
export const SCHEMES = ["standard", "github", "jwt"] as const;
export type Scheme = (typeof SCHEMES)[number];

export const DEFAULT_RATE_LIMIT_PER_MINUTE = 120;
/** How long the previous secret stays valid after a rotation, unless told otherwise. */
export const DEFAULT_OVERLAP_SECONDS = 24 * 60 * 60;
const MAX_OVERLAP_SECONDS = 30 * 24 * 60 * 60;

/** The param an event trigger's mapping must produce: the key the waiting task names. */
export const CORRELATION_PARAM = "correlationKey";

export const triggerKeySchema = z
	.string()
	.regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and -, up to 63");

const jwtSettingsSchema = z.strictObject({
	algorithm: z.enum(JWT_ALGORITHMS),
	audience: z.string().min(1).max(200),
	issuer: z.string().min(1).max(200).nullable().optional(),
});

const secretMaterial = z.string().min(1).max(16_384).meta({
	description:
		"standard: whsec_<base64 of 24-64 bytes>; github: 16+ characters; jwt HS256: 32+ characters; jwt with public keys: the JWKS as JSON",
});

const triggerFields = {
	name: z.string().trim().min(1).max(100),
	workflowKey: z.string().min(1).max(100),
	mapping: payloadMappingSchema,
	priority: z.int().min(0).max(9).nullable().optional(),
	enabled: z.boolean().optional(),
	rateLimitPerMinute: z.int().min(1).max(10_000).optional(),
};

export const createTriggerSchema = z
	.strictObject({
		key: triggerKeySchema,
		kind: z.enum(TRIGGER_KINDS),
		scheme: z.enum(SCHEMES).default("standard"),
		jwt: jwtSettingsSchema.optional(),
		...triggerFields,
		secret: secretMaterial
			.optional()
			.meta({ description: "Omit to have one generated (not for public keys)" }),
	})
	.superRefine((t, ctx) => {
		checkScheme(t.scheme, t.jwt, ctx);
		checkKindMapping(t.kind, t.mapping, ctx);
		if (t.secret !== undefined) checkSecret(t.scheme, t.jwt?.algorithm, t.secret, ctx, ["secret"]);
		else if (t.scheme === "jwt" && t.jwt && t.jwt.algorithm !== "HS256") {
			ctx.addIssue({ code: "custom", path: ["secret"], message: "paste the sender's public JWKS" });
		}
	});
export type CreateTriggerInput = z.infer<typeof createTriggerSchema>;

/** A change to a trigger; its key, kind, scheme and JWT algorithm are fixed once made. */
export const updateTriggerSchema = z.strictObject({
	name: triggerFields.name.optional(),
	workflowKey: triggerFields.workflowKey.optional(),
	mapping: triggerFields.mapping.optional(),
	priority: triggerFields.priority,
	enabled: triggerFields.enabled,
	rateLimitPerMinute: triggerFields.rateLimitPerMinute,
	jwtAudience: z.string().min(1).max(200).optional(),
	jwtIssuer: z.string().min(1).max(200).nullable().optional(),
});
export type UpdateTriggerInput = z.infer<typeof updateTriggerSchema>;

export const rotateSecretSchema = z.strictObject({
	secret: secretMaterial.optional(),
	overlapSeconds: z
		.int()
		.min(0)
		.max(MAX_OVERLAP_SECONDS)
		.optional()
		.meta({ description: "How long the previous secret stays valid (default one day)" }),
});
export type RotateSecretInput = z.infer<typeof rotateSecretSchema>;

function checkScheme(scheme: Scheme, jwt: unknown, ctx: z.RefinementCtx): void {
	if (scheme === "jwt" && jwt === undefined) {
		ctx.addIssue({ code: "custom", path: ["jwt"], message: "a jwt trigger needs its settings" });
	}
	if (scheme !== "jwt" && jwt !== undefined) {
		ctx.addIssue({ code: "custom", path: ["jwt"], message: "only for the jwt scheme" });
	}
}

function checkKindMapping(kind: TriggerKind, mapping: PayloadMapping, ctx: z.RefinementCtx): void {
	if (kind !== "event") return;
	const names = Object.keys(mapping);
	if (!names.includes(CORRELATION_PARAM)) {
		ctx.addIssue({
			code: "custom",
			path: ["mapping", CORRELATION_PARAM],
			message: "an event trigger maps the payload's correlation key to correlationKey",
		});
	}
	for (const name of names.filter((n) => n !== CORRELATION_PARAM)) {
		ctx.addIssue({
			code: "custom",
			path: ["mapping", name],
			message: "an event trigger maps correlationKey only; the whole payload is the task's result",
		});
	}
}

/** A problem message when `material` cannot verify deliveries of this scheme; undefined when fine. */
export function secretProblem(
	scheme: Scheme,
	algorithm: JwtAlgorithm | undefined | null,
	material: string,
): string | undefined {
	if (scheme === "standard") {
		return parseStandardSecret(material) ? undefined : "not a whsec_ secret of 24 to 64 bytes";
	}
	if (scheme === "github") {
		return isGithubSecret(material) ? undefined : "at least 16 characters, no spaces";
	}
	if (algorithm === "HS256") {
		return isJwtSharedSecret(material) ? undefined : "at least 32 characters";
	}
	const parsed = parsePublicJwks(material, algorithm ?? "RS256");
	return parsed.ok ? undefined : parsed.message;
}

function checkSecret(
	scheme: Scheme,
	algorithm: JwtAlgorithm | undefined,
	material: string,
	ctx: z.RefinementCtx,
	path: string[],
): void {
	const problem = secretProblem(scheme, algorithm, material);
	if (problem) ctx.addIssue({ code: "custom", path, message: problem });
}

/** A fresh secret for schemes that use one; null for public keys, which the sender provides. */
export function generateSecret(scheme: Scheme, algorithm?: JwtAlgorithm | null): string | null {
	if (scheme === "standard") return generateStandardSecret();
	if (scheme === "github") return generateGithubSecret();
	return algorithm === "HS256" ? generateJwtSharedSecret() : null;
}

/** A trigger as stored and used: the D1 row re-validated, so a bad row refuses deliveries safely. */
export interface Trigger {
	key: string;
	name: string;
	kind: TriggerKind;
	workflowKey: string;
	scheme: Scheme;
	jwt: { algorithm: JwtAlgorithm; audience: string; issuer: string | null } | null;
	mapping: PayloadMapping;
	priority: number | null;
	enabled: boolean;
	rateLimitPerMinute: number;
	createdAt: number;
	updatedAt: number;
	createdBy: string | null;
}

export const triggerViewSchema = z.object({
	key: z.string(),
	url: z.string().meta({ description: "Where senders POST" }),
	name: z.string(),
	kind: z.enum(TRIGGER_KINDS),
	workflowKey: z.string(),
	scheme: z.enum(SCHEMES),
	jwt: z
		.object({
			algorithm: z.enum(JWT_ALGORITHMS),
			audience: z.string(),
			issuer: z.string().nullable(),
		})
		.nullable(),
	mapping: payloadMappingSchema,
	priority: z.int().nullable(),
	enabled: z.boolean(),
	rateLimitPerMinute: z.int(),
	createdAt: z.int(),
	updatedAt: z.int(),
	secrets: z.array(
		z.object({
			id: z.string(),
			hint: z.string(),
			createdAt: z.int(),
			expiresAt: z.int().nullable(),
			live: z.boolean(),
		}),
	),
});
