// Files the admin tests import as text (Vite's `?raw`), e.g. the BPMN fixture of the conference.
declare module "*?raw" {
	const text: string;
	export default text;
}
