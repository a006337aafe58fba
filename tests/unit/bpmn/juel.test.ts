// The simple JUEL and XPath forms Camunda 7 and other modelers write in conditions, read as FEEL;
// anything beyond them is refused with what it was (docs/bpmn.md, "Conditions").
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: JUEL is written ${…}, in plain strings here
import { describe, expect, it } from "vitest";
import { conditionToFeel } from "../../../src/bpmn/import-expressions.ts";

const XPATH = "http://www.w3.org/1999/XPath";
const FEEL = "https://www.omg.org/spec/DMN/20191111/FEEL/";

describe("conditions as FEEL", () => {
	it.each([
		["${amount > 1000}", undefined, "= amount > 1000"],
		["${approved}", undefined, "= approved"],
		["${!approved}", undefined, "= not(approved)"],
		["${not approved}", undefined, "= not(approved)"],
		["${x == 'a'}", undefined, '= x = "a"'],
		["${x eq 'a' and y ne 'b'}", undefined, '= x = "a" and y != "b"'],
		["${a gt 1 || b lt 2 && c ge 3}", undefined, "= a > 1 or b < 2 and c >= 3"],
		["${(a || b) && c}", undefined, "= (a or b) and c"],
		["${total le 5 or total != null}", undefined, "= total <= 5 or total != null"],
		["${order.total * 2 > limit - 1}", undefined, "= order.total * 2 > limit - 1"],
		["#{execution.getVariable('approved') == true}", undefined, "= approved = true"],
		["bpmn:getDataObject('approved')", undefined, "= approved"],
		["not(bpmn:getDataObject('approved'))", XPATH, "= not(approved)"],
		["bpmn:getDataObject('clarified') = 'yes'", undefined, '= clarified = "yes"'],
		["true", XPATH, "= true"],
		["true()", XPATH, "= true"],
		["=amount > 1000", undefined, "=amount > 1000"],
		[
			'= some risk in risks satisfies risk = "red"',
			undefined,
			'= some risk in risks satisfies risk = "red"',
		],
		['Vacation Approval = "Approved"', FEEL, '= Vacation_Approval = "Approved"'],
		["Service Level == 'Premium'", undefined, '= Service_Level = "Premium"'],
	])("%s (%s) → %s", (body, language, expected) => {
		const read = conditionToFeel(body, language);
		expect(read).toMatchObject({ ok: true, expression: expected });
	});

	it("says which names of several words it joined", () => {
		expect(conditionToFeel("Service Level == 'Premium'", undefined)).toMatchObject({
			joined: ["Service Level"],
		});
		expect(conditionToFeel('= string join(risks, ", ") = ""', undefined)).toMatchObject({
			expression: '= string join(risks, ", ") = ""',
			joined: [],
		});
	});

	it.each([
		["${invoice.isApproved()}", undefined, "the method isApproved() is not translated"],
		["${a ? b : c}", undefined, '"?" is not understood'],
		["${empty items}", undefined, '"empty" is not translated'],
		["${list[0] == 1}", undefined, '"[" is not understood'],
		["bpmn:getDataInput('x')", XPATH, "the function bpmn:getDataInput() is not translated"],
		["amount > 1000", "javascript", "a javascript script"],
		["= amount >", undefined, "FEEL expression does not parse"],
	])("refuses %s with the reason", (body, language, reason) => {
		const read = conditionToFeel(body, language);
		expect(read.ok).toBe(false);
		if (!read.ok) expect(read.why).toContain(reason);
	});
});
