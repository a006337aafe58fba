// The `email` task type's send (src/tasks/email.ts): resolves "= FEEL" params over the task's
// params and its process (the same scope conditions see: params, process, variables), checks the
// recipients, and sends through the EMAIL binding. Task code gets no env (define-task.ts): the
// Worker provides this sender to the type at start (src/index.ts), and it reads the Worker's env
// from `cloudflare:workers`.
import { env } from "cloudflare:workers";
import { compiledWorkflow } from "../durable/compiled-workflows.ts";
import { processStub } from "../durable/process-client.ts";
import { evaluateExpression, isExpression, lazyScope, mergedParams } from "../engine/index.ts";
import { PermanentTaskError, type TaskContext } from "../tasks/define-task.ts";
import { type EmailParams, MAX_RECIPIENTS, parseRecipients } from "../tasks/email.ts";
import { sendMail } from "./mail.ts";

export async function sendFromTask(ctx: TaskContext<EmailParams>): Promise<string> {
	const raw = ctx.params;
	const fields = { to: raw.to, cc: raw.cc, subject: raw.subject, body: raw.body };
	const needsScope = Object.values(fields).some(isExpression);
	let scope: Record<string, unknown> = { params: ctx.params };
	if (needsScope) {
		const view = await processStub(env, ctx.processId).view();
		if (!view) throw new PermanentTaskError("the process is gone", { code: "NO_PROCESS" });
		const workflow = compiledWorkflow(view.definition);
		// The task's whole merged params (T1), not only the keys this type's schema keeps.
		scope = lazyScope({}, workflow, view.state, () =>
			mergedParams(workflow, view.state, ctx.taskId),
		);
	}
	const value = (name: keyof EmailParams): unknown => {
		const v = fields[name];
		if (!isExpression(v)) return v;
		const out = evaluateExpression(v, scope);
		if (!out.ok) {
			throw new PermanentTaskError(`${name}: ${v} could not be evaluated: ${out.message}`, {
				code: "EMAIL_EXPRESSION",
			});
		}
		return out.value;
	};
	const to = parseRecipients("to", value("to"));
	const cc = parseRecipients("cc", value("cc"));
	if (to.length === 0) {
		throw new PermanentTaskError("to: no recipient: give at least one address", {
			code: "BAD_RECIPIENT",
		});
	}
	if (to.length + cc.length > MAX_RECIPIENTS) {
		throw new PermanentTaskError(`at most ${MAX_RECIPIENTS} recipients (to and cc together)`, {
			code: "BAD_RECIPIENT",
		});
	}
	const subject = text("subject", value("subject"))
		.replace(/[\r\n]+/g, " ")
		.trim();
	const body = text("body", value("body"));
	if (subject === "") throw new PermanentTaskError("subject: empty", { code: "EMAIL_EXPRESSION" });
	const messageId = await sendMail(env, { to, cc, subject, text: body, source: "email-task" });
	ctx.log(`sent to ${[...to, ...cc].length} recipient(s)`);
	return messageId;
}

function text(name: string, v: unknown): string {
	if (typeof v === "string") return v;
	if (typeof v === "number" || typeof v === "boolean") return String(v);
	throw new PermanentTaskError(`${name}: ${JSON.stringify(v)} is not text`, {
		code: "EMAIL_EXPRESSION",
	});
}
