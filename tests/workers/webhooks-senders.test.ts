// The other two kinds of senders: GitHub-style (X-Hub-Signature-256) and JWT-authenticated
// (Authorization: Bearer, jose, algorithm pinned). Each starts a process when it should, and
// nothing when it should not.
import { exportJWK, generateKeyPair, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex, utf8 } from "../../src/webhooks/bytes.ts";
import { publish, view, workflow } from "./process-fixtures.ts";
import {
	deliveriesOf,
	githubHeaders,
	makeTrigger,
	nowSeconds,
	postHook,
	processObjects,
	processRows,
	senderJwt,
} from "./webhooks-fixtures.ts";

const WORKFLOW = "builds";
const GITHUB_SECRET = "github-webhook-secret-0123456789";
const SHARED = "a-shared-hs256-secret-of-at-least-32-chars";
const mapping = { ref: { from: "/ref", type: "string", required: true } } as const;
const push = { ref: "refs/heads/main", after: "abc123" };

beforeAll(async () => {
	await publish(
		workflow(WORKFLOW, [{ key: "build", task: "event", start: true, end: true }], [], {
			startForm: { ref: { label: "Git ref" } },
		}),
	);
});

async function expectNothingStarted(send: () => Promise<Response>, status: number) {
	const [rows, objects] = [await processRows(WORKFLOW), await processObjects()];
	const res = await send();
	expect(res.status).toBe(status);
	expect(await processRows(WORKFLOW)).toBe(rows);
	expect(await processObjects()).toBe(objects);
	return (await res.json()) as { code: string; details?: { reason?: string } };
}

describe("a GitHub-style sender", () => {
	it("starts a process when X-Hub-Signature-256 matches the body", async () => {
		const key = await makeTrigger(
			{ workflowKey: WORKFLOW, scheme: "github", mapping },
			GITHUB_SECRET,
		);
		const body = JSON.stringify(push);
		const res = await postHook(key, body, await githubHeaders(body, GITHUB_SECRET, "d-1"));
		expect(res.status).toBe(202);
		const { processId, deliveryId } = (await res.json()) as {
			processId: string;
			deliveryId: string;
		};
		expect(deliveryId).toBe("d-1");
		expect((await view(processId)).state.params).toEqual({ ref: "refs/heads/main" });
	});

	it("refuses another secret and a body changed after signing", async () => {
		const key = await makeTrigger(
			{ workflowKey: WORKFLOW, scheme: "github", mapping },
			GITHUB_SECRET,
		);
		const body = JSON.stringify(push);
		await expectNothingStarted(
			async () => postHook(key, body, await githubHeaders(body, "another-secret-entirely-0000")),
			401,
		);
		const headers = await githubHeaders(body, GITHUB_SECRET);
		await expectNothingStarted(() => postHook(key, body.replace("main", "evil"), headers), 401);
		const noDelivery = await githubHeaders(body, GITHUB_SECRET);
		delete noDelivery["x-github-delivery"];
		await expectNothingStarted(() => postHook(key, body, noDelivery), 400);
	});

	it("treats a captured delivery resent under a new delivery id as the same delivery", async () => {
		const key = await makeTrigger(
			{ workflowKey: WORKFLOW, scheme: "github", mapping },
			GITHUB_SECRET,
		);
		const body = JSON.stringify({ ...push, after: "def456" });
		const first = await postHook(key, body, await githubHeaders(body, GITHUB_SECRET, "d-a"));
		const replayed = await postHook(key, body, await githubHeaders(body, GITHUB_SECRET, "d-b"));
		const [a, b] = [
			(await first.json()) as { processId: string },
			(await replayed.json()) as { processId: string },
		];
		expect(b.processId).toBe(a.processId);
	});

	it("answers GitHub's ping without starting anything", async () => {
		const key = await makeTrigger(
			{ workflowKey: WORKFLOW, scheme: "github", mapping },
			GITHUB_SECRET,
		);
		const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
		const headers = { ...(await githubHeaders(body, GITHUB_SECRET)), "x-github-event": "ping" };
		const objects = await processObjects();
		const res = await postHook(key, body, headers);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ pong: true });
		expect(await processObjects()).toBe(objects);
		const [logged] = await deliveriesOf(key);
		expect(logged).toMatchObject({ status: "accepted", reason: "ping", process_id: null });
	});
});

describe("a JWT-authenticated sender", () => {
	const bearer = (token: string) => ({
		"content-type": "application/json",
		authorization: `Bearer ${token}`,
	});

	it("starts a process with an HS256 token bound to the body", async () => {
		const key = await makeTrigger(
			{
				workflowKey: WORKFLOW,
				scheme: "jwt",
				mapping,
				jwt: { algorithm: "HS256", audience: "baton", issuer: "ci" },
			},
			SHARED,
		);
		const body = JSON.stringify(push);
		const token = await senderJwt(body, utf8(SHARED), { jti: "build-1", issuer: "ci" });
		const res = await postHook(key, body, bearer(token));
		expect(res.status).toBe(202);
		expect(await res.json()).toMatchObject({ deliveryId: "build-1" });
	});

	it("starts a process with an ES256 token checked against the sender's public JWKS", async () => {
		const { publicKey, privateKey } = await generateKeyPair("ES256");
		const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "shop-1" }] });
		const key = await makeTrigger(
			{
				workflowKey: WORKFLOW,
				scheme: "jwt",
				mapping,
				jwt: { algorithm: "ES256", audience: "baton" },
			},
			jwks,
		);
		const body = JSON.stringify(push);
		const token = await senderJwt(body, privateKey, { alg: "ES256", kid: "shop-1" });
		expect((await postHook(key, body, bearer(token))).status).toBe(202);
		// Another key pair, same kid: refused.
		const other = await generateKeyPair("ES256");
		const forged = await senderJwt(body, other.privateKey, { alg: "ES256", kid: "shop-1" });
		await expectNothingStarted(() => postHook(key, body, bearer(forged)), 401);
	});

	it("refuses alg none, a wrong key, an expired token, another audience and another body", async () => {
		const key = await makeTrigger(
			{
				workflowKey: WORKFLOW,
				scheme: "jwt",
				mapping,
				jwt: { algorithm: "HS256", audience: "baton" },
			},
			SHARED,
		);
		const body = JSON.stringify(push);
		const none = new UnsecuredJWT({ body_sha256: await sha256Hex(utf8(body)) })
			.setJti("none-1")
			.setIssuedAt()
			.setExpirationTime("2m")
			.setAudience("baton")
			.encode();
		expect(
			(await expectNothingStarted(() => postHook(key, body, bearer(none)), 401)).details?.reason,
		).toBe("bad_token");
		const wrongKey = await senderJwt(body, utf8("another-shared-secret-of-32-chars!!"));
		expect(
			(await expectNothingStarted(() => postHook(key, body, bearer(wrongKey)), 401)).details
				?.reason,
		).toBe("bad_signature");
		const expired = await senderJwt(body, utf8(SHARED), {
			iat: nowSeconds() - 120,
			exp: nowSeconds() - 30,
		});
		expect(
			(await expectNothingStarted(() => postHook(key, body, bearer(expired)), 401)).details?.reason,
		).toBe("token_expired");
		const stale = await senderJwt(body, utf8(SHARED), {
			iat: nowSeconds() - 600,
			exp: nowSeconds() + 600,
		});
		expect(
			(await expectNothingStarted(() => postHook(key, body, bearer(stale)), 401)).details?.reason,
		).toBe("token_expired");
		const audience = await senderJwt(body, utf8(SHARED), { audience: "someone-else" });
		await expectNothingStarted(() => postHook(key, body, bearer(audience)), 401);
		const token = await senderJwt(body, utf8(SHARED));
		const other = JSON.stringify({ ...push, ref: "refs/heads/evil" });
		expect(
			(await expectNothingStarted(() => postHook(key, other, bearer(token)), 401)).details?.reason,
		).toBe("body_mismatch");
		await expectNothingStarted(
			() => postHook(key, body, { "content-type": "application/json" }),
			400,
		);
	});

	it("starts one process however often the same token is sent", async () => {
		const key = await makeTrigger(
			{
				workflowKey: WORKFLOW,
				scheme: "jwt",
				mapping,
				jwt: { algorithm: "HS256", audience: "baton" },
			},
			SHARED,
		);
		const body = JSON.stringify(push);
		const token = await senderJwt(body, utf8(SHARED));
		const answers = await Promise.all(
			Array.from({ length: 5 }, async () => (await postHook(key, body, bearer(token))).json()),
		);
		expect(new Set(answers.map((a) => (a as { processId: string }).processId)).size).toBe(1);
	});
});
