// The questions of an ask node edited as a form in the workflow editor, not as raw JSON: rows for
// the questions, blank rows to add some, a cleared name removes one, a mistake is shown on its row.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getDraft } from "../../src/db/workflows.ts";
import { type Browser, edit, revisionOf, signedIn } from "./admin-fixtures.ts";

async function askWorkflow(admin: Browser, key: string) {
	expect((await admin.post("/admin/workflows", { key, name: key })).status).toBe(303);
	await edit(admin, key, "/nodes", {
		key: "review",
		task: "ask",
		params_type: "ask",
		start: "true",
		end: "true",
		"param.questions.count": "2",
		"param.questions.0.name": "travel",
		"param.questions.0.label": "Travel needed",
		"param.questions.0.type": "checkbox",
		"param.questions.1.name": "from",
		"param.questions.1.label": "Travelling from",
		"param.questions.1.type": "text",
		"param.questions.1.required": "true",
		"param.questions.1.showIf": "travel",
	});
}

const questionsOf = async (key: string) =>
	(await getDraft(env.DB, key))?.definition.nodes.find((n) => n.key === "review")?.params
		?.questions;

describe("the ask questions editor", () => {
	it("saves the rows as questions, and shows them as rows with blank ones to add more", async () => {
		const admin = await signedIn({ isAdmin: true });
		await askWorkflow(admin, "asked");
		expect(await questionsOf("asked")).toEqual({
			travel: { label: "Travel needed", type: "checkbox" },
			from: { label: "Travelling from", required: true, showIf: { field: "travel" } },
		});
		const html = await (await admin.get("/admin/workflows/asked/draft")).text();
		expect(html).toContain('name="param.questions.count" value="4"');
		expect(html).toMatch(/name="param\.questions\.0\.name"[^>]*value="travel"/);
		expect(html).toMatch(
			/<select[^>]*name="param\.questions\.0\.type"[\s\S]*?<option value="checkbox" selected/,
		);
		expect(html).toContain("New question 3");
		expect(html).not.toContain('name="param.questions"');
	});

	it("removes a question whose name is cleared, and refuses a row that depends on no question", async () => {
		const admin = await signedIn({ isAdmin: true });
		await askWorkflow(admin, "asked-again");
		await edit(admin, "asked-again", "/nodes/review", {
			key: "review",
			task: "ask",
			params_type: "ask",
			start: "true",
			end: "true",
			"param.questions.count": "2",
			"param.questions.0.name": "",
			"param.questions.0.label": "Travel needed",
			"param.questions.1.name": "from",
			"param.questions.1.label": "Travelling from",
		});
		expect(await questionsOf("asked-again")).toEqual({ from: { label: "Travelling from" } });
		const refused = await admin.post("/admin/workflows/asked-again/draft/nodes/review", {
			revision: await revisionOf("asked-again"),
			key: "review",
			task: "ask",
			params_type: "ask",
			start: "true",
			end: "true",
			"param.questions.count": "1",
			"param.questions.0.name": "from",
			"param.questions.0.label": "Travelling from",
			"param.questions.0.showIf": "travel",
		});
		expect(refused.status).toBe(422);
		expect(await refused.text()).toContain("“from” depends on “travel”, which is not a question.");
	});
});
