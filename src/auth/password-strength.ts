// How guessable a new password is, judged by zxcvbn-ts (https://zxcvbn-ts.github.io/zxcvbn/): its
// list of the most common passwords (49,000, l33t and reversed spellings included), keyboard rows,
// dates, years, repeats and sequences, and the user's own email and name. A password must score at
// least MIN_PASSWORD_SCORE (of 0–4): "safely unguessable", which also holds against an offline
// attack on a stolen PBKDF2 hash.
//
// The English word, name and Wikipedia lists of @zxcvbn-ts/language-en are left out: they would add
// 600 KiB (gzip) to the Worker and ~0.6 s of CPU to the first check in each isolate; only its English
// messages are used. The dictionaries are built once per isolate, on the first password set.
/// <reference path="./zxcvbn-translations.d.ts" />
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import translations from "@zxcvbn-ts/language-en/dist/translations.mjs";

/** zxcvbn's score: 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
export const MIN_PASSWORD_SCORE = 3;

let factory: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
	factory ??= new ZxcvbnFactory({
		dictionary: common.dictionary,
		graphs: common.adjacencyGraphs,
		translations,
	});
	return factory;
}

/**
 * Why `password` is too easy to guess (zxcvbn's warning and suggestions, in plain words), or null.
 * `userInputs` are words of the account (its email, its name): a password containing one of them is
 * refused whatever its score, since whoever targets the account knows them.
 */
export function weakPasswordProblem(password: string, userInputs: string[] = []): string | null {
	const inputs = userInputs.flatMap((s) => [s, ...s.toLowerCase().split(/[^\p{L}\p{N}]+/u)]);
	const result = zxcvbn().check(
		password,
		inputs.filter((s) => s.length > 0),
	);
	const personal = result.sequence.some(
		(m) => m.pattern === "dictionary" && m.dictionaryName === "userInputs" && m.token.length >= 3,
	);
	if (personal) {
		return `This password is too easy to guess. ${translations.warnings.userInputs} Leave your name and email out of it.`;
	}
	if (result.score >= MIN_PASSWORD_SCORE) return null;
	const why = result.feedback.warning ?? "It would be found quickly by guessing.";
	const tips = result.feedback.suggestions.join(" ");
	return `This password is too easy to guess. ${why}${tips ? ` ${tips}` : ""}`.trim();
}
