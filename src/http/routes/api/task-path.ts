// A task id in an API path. Task ids are "<process id>/t<n>", and a subprocess's id is its task's
// id and "/p<n>" (`p-…/t1/p1/t2`): routes take each slash as it is or escaped (%2F), so that
// generated clients, which escape path parameters, reach them too.
import type { Context } from "hono";
import type { AppEnv } from "../../context.ts";

/** The Hono path parameter `:id` of a task id. */
export const TASK_ID =
	":id{p-[0-9a-f]+(?:(?:/|%2[Ff])t[0-9]+(?:/|%2[Ff])p[0-9]+)*(?:/|%2[Ff])t[0-9]+}";

/** The OpenAPI description of the `{taskId}` path parameter. */
export const taskIdParam = {
	taskId: 'The task id, "<process id>/t<n>" (the "/" may be sent as %2F)',
};

/** The task id of the path, with its slashes (sent as they are or as %2F). */
export function taskIdOf(c: Context<AppEnv>): string {
	return decodeURIComponent(c.req.param("id") ?? "");
}
