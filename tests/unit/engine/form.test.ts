import { describe, expect, it } from "vitest";
import { describeForm } from "../../../src/engine/index.ts";
import { add } from "../../../src/tasks/add.ts";
import { ask } from "../../../src/tasks/ask.ts";
import { question } from "../../../src/tasks/question.ts";

describe("form", () => {
	it("describes a task type's params as fields with labels, bounds and current values", () => {
		expect(describeForm(add, { a: 2 })).toEqual([
			{
				name: "a",
				label: "First number",
				kind: "integer",
				required: true,
				min: 0,
				max: 999,
				value: 2,
			},
			{ name: "b", label: "Second number", kind: "integer", required: true, min: 0, max: 999 },
		]);
	});

	it("marks optional fields, help text and long text", () => {
		const fields = describeForm(question, { title: "Why?" });
		expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
			["title", "text", true],
			["description", "longtext", false],
			["answer", "text", true],
		]);
		expect(fields[0]?.value).toBe("Why?");
	});

	it("builds an ask task's form from its questions", () => {
		const fields = describeForm(ask, {
			questions: {
				name: { label: "Name", required: true, help: "Your full name" },
				size: { label: "Size", type: "select", options: ["S", "M"] },
				count: { label: "How many", type: "integer", min: 1, max: 5, required: true },
				when: { label: "When", type: "date" },
				ok: { label: "Agreed", type: "checkbox" },
				notes: { label: "Notes", type: "longtext" },
				price: { label: "Price", type: "number" },
			},
		});
		expect(fields).toEqual([
			{
				name: "name",
				label: "Name",
				help: "Your full name",
				kind: "text",
				required: true,
				min: 1,
				max: 1000,
			},
			{
				name: "size",
				label: "Size",
				kind: "select",
				required: false,
				options: [
					{ value: "S", label: "S" },
					{ value: "M", label: "M" },
				],
			},
			{ name: "count", label: "How many", kind: "integer", required: true, min: 1, max: 5 },
			{ name: "when", label: "When", kind: "date", required: false },
			{ name: "ok", label: "Agreed", kind: "checkbox", required: false },
			{ name: "notes", label: "Notes", kind: "longtext", required: false, max: 10_000 },
			{ name: "price", label: "Price", kind: "number", required: false },
		]);
	});
});
