// The richer field types of `ask` questions and start forms: what each accepts, how a form
// describes it, and fields shown (and required) only while another field has a value.
import { describe, expect, it } from "vitest";
import { checkParams, describeForm, formOfFields } from "../../../src/engine/index.ts";
import { ask } from "../../../src/tasks/ask.ts";

const questions = {
	topics: { label: "Topics", type: "multiselect", options: ["web", "data", "ops"], required: true },
	contact: { label: "Contact", type: "email" },
	site: { label: "Site", type: "url" },
	opensAt: { label: "Doors open", type: "datetime" },
	budget: { label: "Budget", type: "money", currency: "EUR", min: 0 },
	travel: { label: "Travel needed", type: "checkbox" },
	from: { label: "Travelling from", required: true, showIf: { field: "travel" } },
	ticket: { label: "Ticket", type: "file" },
} as const;

const form = formOfFields(questions as never);
const ok = (values: Record<string, unknown>) => checkParams(form, { topics: ["web"], ...values });

describe("field types", () => {
	it("checks a multi-select against its options, at least one when required", () => {
		expect(ok({ topics: ["web", "ops"] }).ok).toBe(true);
		expect(ok({ topics: ["web", "cooking"] })).toMatchObject({
			ok: false,
			requiredFields: ["topics"],
		});
		expect(ok({ topics: [] })).toMatchObject({ ok: false, requiredFields: ["topics"] });
	});

	it("checks emails, http(s) web addresses and dates with a time", () => {
		expect(
			ok({ contact: "ada@example.com", site: "https://example.com/x", opensAt: "2027-03-14T09:30" })
				.ok,
		).toBe(true);
		expect(ok({ opensAt: "2027-03-14T09:30:00Z" }).ok).toBe(true);
		expect(ok({ contact: "not an email" })).toMatchObject({ requiredFields: ["contact"] });
		expect(ok({ site: "javascript:alert(1)" })).toMatchObject({ requiredFields: ["site"] });
		expect(ok({ opensAt: "tomorrow" })).toMatchObject({ requiredFields: ["opensAt"] });
	});

	it("takes money with at most two decimals, within its bounds", () => {
		expect(ok({ budget: 1234.5 }).ok).toBe(true);
		expect(ok({ budget: 0.1 + 0.2 }).ok).toBe(true);
		expect(ok({ budget: 1.005 })).toMatchObject({ requiredFields: ["budget"] });
		expect(ok({ budget: -1 })).toMatchObject({ requiredFields: ["budget"] });
	});

	it("takes a file field's stored file, never a bare name", () => {
		const ticket = { id: `f-${"a".repeat(32)}`, name: "ticket.pdf", size: 12 };
		expect(ok({ ticket }).ok).toBe(true);
		expect(ok({ ticket: "ticket.pdf" })).toMatchObject({ requiredFields: ["ticket"] });
	});

	it("requires a conditional field only while its controlling field has a value", () => {
		expect(ok({ travel: false }).ok).toBe(true);
		expect(ok({ travel: true })).toMatchObject({ ok: false, requiredFields: ["from"] });
		expect(ok({ travel: true, from: "Lyon" }).ok).toBe(true);
	});

	it("describes each for the page: kind, options, currency, condition", () => {
		const fields = describeForm(ask, { questions });
		const byName = Object.fromEntries(fields.map((f) => [f.name, f]));
		expect(byName.topics).toMatchObject({
			kind: "multiselect",
			required: true,
			options: [
				{ value: "web", label: "web" },
				{ value: "data", label: "data" },
				{ value: "ops", label: "ops" },
			],
		});
		expect(byName.contact?.kind).toBe("email");
		expect(byName.site?.kind).toBe("url");
		expect(byName.opensAt?.kind).toBe("datetime");
		expect(byName.budget).toMatchObject({ kind: "money", currency: "EUR", min: 0 });
		expect(byName.from).toMatchObject({
			kind: "text",
			required: true,
			showIf: { field: "travel" },
		});
		expect(byName.ticket?.kind).toBe("file");
	});
});

describe("file fields", () => {
	it("D2 are for a task's form: a start form field cannot be a file", async () => {
		const { workflowDefinitionSchema } = await import("../../../src/engine/index.ts");
		const parsed = workflowDefinitionSchema.safeParse({
			key: "with-file",
			nodes: [{ key: "a", task: "dummy", start: true, end: true }],
			transitions: [],
			startForm: { scan: { label: "Scan", type: "file" } },
		});
		expect(parsed.success).toBe(false);
		expect(JSON.stringify(parsed.error?.issues)).toContain("a start field cannot be a file");
	});
});
