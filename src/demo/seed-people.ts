// The demo's people: the conference roles (Organization, Accounting), a few users in them and an
// admin, all with the known local password of docs/people.md. Idempotent: existing rows are kept
// (a password changed locally is not reset), missing ones are added.
import type { Permission } from "../auth/current-user.ts";
import { addMember, addRole, createUser, findUserByEmail, grantPermission } from "../db/people.ts";

/** For local use only; documented in docs/people.md. */
export const DEMO_PASSWORD = "baton-demo";

export const DEMO_ROLES = [
	{ key: "organization", name: "Organization" },
	{ key: "accounting", name: "Accounting" },
] as const;

export const DEMO_USERS = [
	{
		id: "demo-admin",
		email: "admin@baton.local",
		displayName: "Ada Admin",
		isAdmin: true,
		roles: [],
	},
	{
		id: "demo-olivia",
		email: "olivia@baton.local",
		displayName: "Olivia Organizer",
		isAdmin: false,
		roles: ["organization"],
	},
	{
		id: "demo-oscar",
		email: "oscar@baton.local",
		displayName: "Oscar Organizer",
		isAdmin: false,
		roles: ["organization"],
	},
	{
		id: "demo-anna",
		email: "anna@baton.local",
		displayName: "Anna Accountant",
		isAdmin: false,
		roles: ["accounting"],
	},
	{
		id: "demo-arthur",
		email: "arthur@baton.local",
		displayName: "Arthur Accountant",
		isAdmin: false,
		roles: ["accounting"],
	},
] as const;

/** Organization members may start every workflow; Accounting members fill in what comes to them. */
const DEMO_GRANTS: { role: string; permission: Permission; scope: string }[] = [
	{ role: "organization", permission: "workflow.start", scope: "*" },
];

/** Seeds the demo people; safe to call on every start. */
export async function seedPeople(db: D1Database, now: number = Date.now()): Promise<void> {
	for (const role of DEMO_ROLES) await addRole(db, { ...role, now });
	let order = 0;
	for (const demo of DEMO_USERS) {
		const existing = await findUserByEmail(db, demo.email);
		const userId =
			existing?.id ??
			(
				await createUser(db, {
					id: demo.id,
					email: demo.email,
					displayName: demo.displayName,
					password: DEMO_PASSWORD,
					isAdmin: demo.isAdmin,
					now,
				})
			).id;
		// Distinct joining times make the assignment tie-break (earliest member) predictable.
		for (const role of demo.roles) await addMember(db, role, userId, now + order++);
	}
	for (const grant of DEMO_GRANTS) {
		await grantPermission(db, {
			subjectKind: "role",
			subjectId: grant.role,
			permission: grant.permission,
			scope: grant.scope,
			now,
		});
	}
}
