// T12: the secrets a task may read while it runs. A definition names a secret
// (`{ "secret": "PAYMENTS_TOKEN" }`); its value lives only in the Worker's environment
// (`wrangler secret put`, locally `.dev.vars`) and is read here, inside the run, so it never
// reaches params, history, pages, exports or the API. Only names listed in TASK_SECRETS can be
// read: a workflow author cannot reach the Worker's own keys (SESSION_KEYS and the like).
import { PermanentTaskError } from "../tasks/define-task.ts";

export type SecretReader = (name: string) => string;

/** The names TASK_SECRETS lists (commas or spaces between them). */
export function taskSecretNames(env: { TASK_SECRETS?: string }): Set<string> {
	return new Set((env.TASK_SECRETS ?? "").split(/[\s,]+/).filter((n) => n !== ""));
}

export function secretReader(env: Env): SecretReader {
	const allowed = taskSecretNames(env);
	return (name) => {
		if (!allowed.has(name)) {
			throw new PermanentTaskError(
				`the secret "${name}" is not one tasks may read: add it to TASK_SECRETS`,
				{ code: "SECRET_NOT_ALLOWED" },
			);
		}
		const value = (env as unknown as Record<string, unknown>)[name];
		if (typeof value !== "string" || value === "") {
			throw new PermanentTaskError(`the secret "${name}" is not set in this deployment`, {
				code: "SECRET_MISSING",
			});
		}
		return value;
	};
}
