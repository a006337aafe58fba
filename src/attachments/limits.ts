// What a file may be to be attached (issue #17): its size and its kind, decided on the server from
// the name's extension and the declared type together, so a page cannot be served back as HTML or
// script. Pure: the routes call it before anything is stored.

/** The largest file a person may attach, in bytes (10 MiB). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The most files one comment carries. */
export const MAX_FILES_PER_COMMENT = 5;

/** Allowed extensions and the type each is stored and served with. */
const ALLOWED: Record<string, string> = {
	pdf: "application/pdf",
	png: "image/png",
	jpg: "image/jpeg",
	jpeg: "image/jpeg",
	gif: "image/gif",
	webp: "image/webp",
	txt: "text/plain",
	csv: "text/csv",
	md: "text/markdown",
	json: "application/json",
	doc: "application/msword",
	docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	xls: "application/vnd.ms-excel",
	xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	ppt: "application/vnd.ms-powerpoint",
	pptx: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	odt: "application/vnd.oasis.opendocument.text",
	ods: "application/vnd.oasis.opendocument.spreadsheet",
	zip: "application/zip",
};

/** The extensions people may attach, for the page's `accept` and the error message. */
export const ALLOWED_EXTENSIONS: readonly string[] = Object.keys(ALLOWED);

export type UploadCheck =
	| { ok: true; name: string; contentType: string }
	| { ok: false; code: "too_large" | "forbidden_type" | "empty"; message: string };

/** A file's name without any path, control characters or quotes, at most 200 characters. */
export function cleanFileName(raw: string): string {
	const base = raw.split(/[\\/]/).pop() ?? "";
	// Control characters and quotes would break the Content-Disposition header the file is served with.
	const clean = [...base]
		.filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
		.join("")
		.trim()
		.slice(-200);
	return clean === "" || clean === "." || clean === ".." ? "file" : clean;
}

/**
 * A file may be attached when it is not empty, at most MAX_FILE_BYTES, and its extension is one
 * of ALLOWED. The declared type is replaced by the extension's, so what is served is what was
 * allowed, whatever the browser claimed.
 */
export function checkUpload(file: { name: string; size: number }): UploadCheck {
	const name = cleanFileName(file.name);
	if (file.size === 0) return { ok: false, code: "empty", message: `“${name}” is empty.` };
	if (file.size > MAX_FILE_BYTES) {
		return {
			ok: false,
			code: "too_large",
			message: `“${name}” is ${megabytes(file.size)}; files may be at most ${megabytes(MAX_FILE_BYTES)}.`,
		};
	}
	const ext = name.includes(".") ? (name.split(".").pop() ?? "").toLowerCase() : "";
	const contentType = ALLOWED[ext];
	if (!contentType) {
		return {
			ok: false,
			code: "forbidden_type",
			message: `“${name}” is not a kind of file Baton keeps. Attach a ${ALLOWED_EXTENSIONS.join(", ")} file.`,
		};
	}
	return { ok: true, name, contentType };
}

export function megabytes(bytes: number): string {
	if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
	return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
}
