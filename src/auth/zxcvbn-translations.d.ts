// The English messages of @zxcvbn-ts/language-en, imported alone (its dictionaries are not used):
// the package ships their types as dist/translations.d.ts, which a path ending in .mjs does not find.
declare module "@zxcvbn-ts/language-en/dist/translations.mjs" {
	import type { TranslationKeys } from "@zxcvbn-ts/core";

	const translations: TranslationKeys;
	export default translations;
}
