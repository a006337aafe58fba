// The API's own description: GET /api/v1/openapi.json (the OpenAPI 3.1 document) and GET /api/docs,
// the same document rendered server-side as a readable page (no script, no CDN).
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { Layout } from "../../../../templates/layout.tsx";
import type { AppEnv } from "../../context.ts";
import { requireUser } from "../../middleware/authorize.ts";
import { openApiDocument } from "../../openapi.ts";
import { originOf } from "./http.ts";

type Schema = Record<string, unknown>;

interface OperationDoc {
	operationId: string;
	summary: string;
	description?: string;
	tags: string[];
	parameters?: {
		name: string;
		in: string;
		required: boolean;
		description?: string;
		schema: Schema;
	}[];
	requestBody?: { content: Record<string, { schema: Schema }> };
	responses: Record<string, { description: string; content?: Record<string, { schema: Schema }> }>;
	"x-required-scope"?: string;
}

const REF = "#/components/schemas/";

function refName(schema: Schema): string | undefined {
	const ref = schema.$ref;
	return typeof ref === "string" && ref.startsWith(REF) ? ref.slice(REF.length) : undefined;
}

/** A short, linked description of a schema's type: `string`, `array of Task`, `"a" | "b"`. */
function TypeLabel({ schema }: { schema: Schema }): Child {
	const name = refName(schema);
	if (name) return <a href={`#schema-${name}`}>{name}</a>;
	const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
	if (variants) {
		return (
			<>
				{variants.map((v, i) => (
					<>
						{i > 0 ? " | " : ""}
						<TypeLabel schema={v} />
					</>
				))}
			</>
		);
	}
	if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
	if (schema.const !== undefined) return JSON.stringify(schema.const);
	if (schema.type === "array") {
		return (
			<>
				{"array of "}
				<TypeLabel schema={(schema.items as Schema) ?? {}} />
			</>
		);
	}
	if (schema.type === "object" && !schema.properties && schema.additionalProperties) {
		return (
			<>
				{"map of "}
				<TypeLabel schema={schema.additionalProperties as Schema} />
			</>
		);
	}
	const type = Array.isArray(schema.type)
		? schema.type.join(" | ")
		: (schema.type as string | undefined);
	const bounds = [
		schema.minimum !== undefined ? `≥ ${schema.minimum}` : "",
		schema.maximum !== undefined ? `≤ ${schema.maximum}` : "",
		schema.maxLength !== undefined ? `≤ ${schema.maxLength} chars` : "",
	].filter(Boolean);
	return `${type ?? "any JSON"}${bounds.length > 0 ? ` (${bounds.join(", ")})` : ""}`;
}

/** The properties of an object schema as a table, nested objects expanded. */
function Properties({ schema }: { schema: Schema }): Child {
	const properties = schema.properties as Record<string, Schema> | undefined;
	if (!properties) {
		return (
			<p>
				<TypeLabel schema={schema} />
			</p>
		);
	}
	const required = new Set((schema.required as string[] | undefined) ?? []);
	return (
		<table class="api-schema">
			<thead>
				<tr>
					<th scope="col">Field</th>
					<th scope="col">Type</th>
					<th scope="col">About</th>
				</tr>
			</thead>
			<tbody>
				{Object.entries(properties).map(([name, prop]) => (
					<tr>
						<td>
							<code>{name}</code>
							{required.has(name) && prop.default === undefined ? " (required)" : ""}
						</td>
						<td>
							<TypeLabel schema={prop} />
							{prop.type === "object" && prop.properties ? <Properties schema={prop} /> : null}
						</td>
						<td>
							{(prop.description as string | undefined) ?? ""}
							{prop.default !== undefined ? ` Default: ${JSON.stringify(prop.default)}.` : ""}
						</td>
					</tr>
				))}
			</tbody>
		</table>
	);
}

function OperationSection({
	method,
	path,
	op,
}: {
	method: string;
	path: string;
	op: OperationDoc;
}) {
	const body = op.requestBody?.content["application/json"]?.schema;
	return (
		<section class="api-operation" id={op.operationId} aria-labelledby={`${op.operationId}-title`}>
			<h3 id={`${op.operationId}-title`}>
				<code>
					{method.toUpperCase()} {path}
				</code>
			</h3>
			<p>{op.summary}</p>
			{op.description ? <p>{op.description}</p> : null}
			{op["x-required-scope"] ? (
				<p>
					Token scope: <code>{op["x-required-scope"]}</code>
				</p>
			) : (
				<p>Authenticated by signature, not by token.</p>
			)}
			{op.parameters && op.parameters.length > 0 ? (
				<>
					<h4>Parameters</h4>
					<table class="api-schema">
						<thead>
							<tr>
								<th scope="col">Name</th>
								<th scope="col">In</th>
								<th scope="col">Type</th>
								<th scope="col">About</th>
							</tr>
						</thead>
						<tbody>
							{op.parameters.map((p) => (
								<tr>
									<td>
										<code>{p.name}</code>
										{p.required ? " (required)" : ""}
									</td>
									<td>{p.in}</td>
									<td>
										<TypeLabel schema={p.schema} />
									</td>
									<td>{p.description ?? ""}</td>
								</tr>
							))}
						</tbody>
					</table>
				</>
			) : null}
			{body ? (
				<>
					<h4>Body (JSON)</h4>
					<p>
						<TypeLabel schema={body} />
					</p>
				</>
			) : null}
			<h4>Responses</h4>
			<ul>
				{Object.entries(op.responses).map(([status, r]) => {
					const schema = r.content?.["application/json"]?.schema;
					return (
						<li>
							<code>{status}</code> {r.description}
							{schema ? (
								<>
									{" — "}
									<TypeLabel schema={schema} />
								</>
							) : null}
						</li>
					);
				})}
			</ul>
		</section>
	);
}

function ApiDocsPage({ doc }: { doc: Schema }) {
	const info = doc.info as { title: string; description: string };
	const paths = doc.paths as Record<string, Record<string, OperationDoc>>;
	const schemas = (doc.components as { schemas: Record<string, Schema> }).schemas;
	const tags = doc.tags as { name: string; description: string }[];
	const operations = Object.entries(paths).flatMap(([path, methods]) =>
		Object.entries(methods).map(([method, op]) => ({ path, method, op })),
	);
	return (
		<>
			<h1>{info.title}</h1>
			<p>{info.description}</p>
			<p>
				Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
			</p>
			<nav aria-label="Operations">
				<ul>
					{operations.map(({ path, method, op }) => (
						<li>
							<a href={`#${op.operationId}`}>
								<code>
									{method.toUpperCase()} {path}
								</code>
							</a>{" "}
							{op.summary}
						</li>
					))}
				</ul>
			</nav>
			{tags.map((tag) => (
				<section aria-labelledby={`tag-${tag.name}`}>
					<h2 id={`tag-${tag.name}`}>{tag.name}</h2>
					<p>{tag.description}</p>
					{operations
						.filter(({ op }) => op.tags.includes(tag.name))
						.map(({ path, method, op }) => (
							<OperationSection method={method} path={path} op={op} />
						))}
				</section>
			))}
			<section aria-labelledby="schemas-title">
				<h2 id="schemas-title">Schemas</h2>
				{Object.entries(schemas).map(([name, schema]) => (
					<section id={`schema-${name}`} aria-labelledby={`schema-${name}-title`}>
						<h3 id={`schema-${name}-title`}>{name}</h3>
						{schema.description ? <p>{schema.description as string}</p> : null}
						<Properties schema={schema} />
					</section>
				))}
			</section>
		</>
	);
}

/** Served inside /api/v1 (before its catch-all). */
export const openApiRoute = new Hono<AppEnv>().get("/openapi.json", (c) => {
	requireUser(c);
	return c.json(openApiDocument(originOf(c)));
});

export const apiDocsRoutes = new Hono<AppEnv>().get("/", (c) => {
	const user = requireUser(c);
	return c.html(
		<Layout title="API" csrfToken={c.var.csrfToken} user={user}>
			<ApiDocsPage doc={openApiDocument(originOf(c))} />
		</Layout>,
	);
});
