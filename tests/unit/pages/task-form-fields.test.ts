// A posted task form read back into values for the richer field types (the engine judges them).
import { describe, expect, it } from "vitest";
import { describeForm } from "../../../src/engine/index.ts";
import { parsePosted } from "../../../src/http/view-models/task-form.ts";
import { ask } from "../../../src/tasks/ask.ts";

const questions = {
	topics: { label: "Topics", type: "multiselect", options: ["web", "data", "ops"], required: true },
	contact: { label: "Contact", type: "email" },
	opensAt: { label: "Doors open", type: "datetime" },
	budget: { label: "Budget", type: "money", currency: "EUR", min: 0 },
	travel: { label: "Travel needed", type: "checkbox" },
	ticket: { label: "Ticket", type: "file" },
};

describe("a posted task form", () => {
	it("reads a posted form: every ticked option, amounts as numbers, files left to the route", () => {
		const fields = describeForm(ask, { questions });
		const { values } = parsePosted(fields, {
			topics: ["web", "data"],
			budget: "99.90",
			opensAt: "2027-03-14T09:30",
			contact: " ada@example.com ",
			ticket: new File(["x"], "ticket.pdf"),
		});
		expect(values).toEqual({
			topics: ["web", "data"],
			budget: 99.9,
			opensAt: "2027-03-14T09:30",
			contact: "ada@example.com",
			travel: false,
		});
	});
});
