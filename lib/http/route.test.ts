import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { db } from "@/lib/db";
import { ConflictError } from "@/lib/data/errors";
import { hashToken } from "@/lib/session";
import { resetDatabase } from "@/lib/test/reset";
import { tokenOwnerId } from "@/lib/test/tokens";
import { route } from "./route";

// The route kit against the real token look-up: who may call, what input passes, and how every
// failure reads — always with the request's id, in the body, the header and the log.

async function token(): Promise<string> {
  const plaintext = `glt_${randomUUID().replaceAll("-", "")}`;
  await db().apiToken.create({
    data: {
      name: `kit-${plaintext.slice(4, 10)}`,
      prefix: plaintext.slice(0, 8),
      tokenHash: hashToken(plaintext),
      ownerId: await tokenOwnerId(),
      permissions: ["ENVIRONMENT_VIEW"],
    },
  });
  return plaintext;
}

const echo = route({
  auth: "token",
  input: { from: "json", schema: z.object({ n: z.number().int("Whole numbers only") }) },
  handle: ({ input, actor }) => Promise.resolve(Response.json({ n: input.n, who: actor.kind })),
});

const query = route({
  auth: "session-or-token",
  headers: { "cache-control": "no-store" },
  input: { from: "query", schema: z.object({ page: z.coerce.number().int().min(1).optional() }) },
  handle: ({ input }) => Promise.resolve(Response.json({ page: input.page ?? 1 })),
});

const post = (body: string, headers: Record<string, string>) =>
  echo(new Request("http://test/x", { method: "POST", body, headers }));

describe("route kit", () => {
  beforeEach(resetDatabase);

  it("answers a valid call and says which request it was", async () => {
    const response = await post(JSON.stringify({ n: 3 }), {
      authorization: `Bearer ${await token()}`,
      "content-type": "application/json",
      "x-request-id": "ci-run-12345678",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ n: 3, who: "token" });
    expect(response.headers.get("x-request-id")).toBe("ci-run-12345678");
  });

  it("refuses without a valid token (401), with a request id in the body and the header", async () => {
    for (const authorization of [undefined, "Bearer nope", "Basic abc"]) {
      const response = await post("{}", {
        "content-type": "application/json",
        ...(authorization ? { authorization } : {}),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as { error: string; requestId: string };
      expect(body.error).toBe("unauthorized");
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(response.headers.get("x-request-id")).toBe(body.requestId);
      expect(response.headers.get("www-authenticate")).toContain("Bearer");
    }
  });

  it("answers 415 for a body that is not JSON, 422 for broken JSON and for bad fields", async () => {
    const authorization = `Bearer ${await token()}`;
    expect((await post("n=1", { authorization, "content-type": "application/x-www-form-urlencoded" })).status).toBe(
      415,
    );
    const broken = await post("{", { authorization, "content-type": "application/json" });
    expect(broken.status).toBe(422);
    expect(await broken.json()).toMatchObject({ message: "The body is not valid JSON" });
    const bad = await post(JSON.stringify({ n: 1.5 }), { authorization, "content-type": "application/json" });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ error: "validation", fieldErrors: { n: ["Whole numbers only"] } });
  });

  it("reads and checks the query string, and keeps its headers on errors too", async () => {
    const authorization = `Bearer ${await token()}`;
    const ok = await query(new Request("http://test/q?page=2", { headers: { authorization } }));
    expect(await ok.json()).toEqual({ page: 2 });
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const bad = await query(new Request("http://test/q?page=0", { headers: { authorization } }));
    expect(bad.status).toBe(422);
    expect(bad.headers.get("cache-control")).toBe("no-store");
  });

  it("maps domain errors to their status and hides anything else behind a logged request id", async () => {
    const authorization = `Bearer ${await token()}`;
    const conflict = route({
      auth: "token",
      handle: () => Promise.reject(new ConflictError("Already there")),
    });
    const response = await conflict(new Request("http://test/c", { headers: { authorization } }));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: "conflict", message: "Already there" });

    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const broken = route({ auth: "token", handle: () => Promise.reject(new Error("secret detail")) });
    const failed = await broken(new Request("http://test/b", { headers: { authorization } }));
    expect(failed.status).toBe(500);
    const body = (await failed.json()) as { message: string; requestId: string };
    expect(body.message).not.toContain("secret detail");
    expect(body.message).toContain(body.requestId);
    expect(log.mock.calls[0]?.[0]).toContain(`[${body.requestId}]`);
    log.mockRestore();
  });
});
