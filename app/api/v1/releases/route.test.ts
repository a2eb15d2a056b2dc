import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { loadPreset } from "@/lib/presets/load";
import type { Permission } from "@/lib/domain/permissions";
import { resetDatabase } from "@/lib/test/reset";
import { insertToken } from "@/lib/test/tokens";
import { GET, POST } from "./route";

// The route handler with real requests and real tokens (rows whose hash the handler looks up).

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
});

const token = (permissions: Permission[], environmentKeys: string[] = []) =>
  insertToken(permissions, { environmentKeys });

const release = {
  application: "storefront",
  version: "1.4.0",
  commitSha: "3f2a9c1e7b4d5a6f8e9d0c1b2a3f4e5d6c7b8a90",
  commitAt: "2026-03-01T12:00:00Z",
  title: "Checkout with saved cards",
  changelog: "## Added\n- Saved cards at checkout",
  links: [{ label: "Pull request", url: "https://github.com/example/storefront/pull/42" }],
};

function post(bearer: string | null, body: unknown, contentType = "application/json"): Promise<Response> {
  const headers: Record<string, string> = { "content-type": contentType };
  if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
  return POST(
    new Request("http://localhost/api/v1/releases", {
      method: "POST",
      headers,
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

interface ErrorBody {
  error: string;
  message: string;
  fieldErrors?: Record<string, string[]>;
}

describe("POST /api/v1/releases", () => {
  it("answers 201 with the release, then 200 with the same release on a repeat", async () => {
    const ci = await token(["release.create"]);
    const first = await post(ci, release);
    expect(first.status).toBe(201);
    const created = (await first.json()) as { release: { id: string }; created: boolean };
    expect(created).toMatchObject({ created: true, release: { application: "storefront", version: "1.4.0" } });

    const again = await post(ci, release);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ ...created, created: false });
    expect(await db().release.count()).toBe(1);
  });

  it("answers 409 naming the existing commit for the same version at another commit", async () => {
    const ci = await token(["release.create"]);
    expect((await post(ci, release)).status).toBe(201);
    const conflict = await post(ci, { ...release, commitSha: "b".repeat(40) });
    expect(conflict.status).toBe(409);
    const body = (await conflict.json()) as ErrorBody;
    expect(body.error).toBe("conflict");
    expect(body.message).toContain(release.commitSha);
  });

  it("answers 422 with a message per field", async () => {
    const ci = await token(["release.create"]);
    const response = await post(ci, {
      ...release,
      version: "latest",
      commitSha: "not-a-sha",
      changelog: "x".repeat(65_537),
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorBody;
    expect(body.error).toBe("validation");
    expect(Object.keys(body.fieldErrors ?? {}).sort()).toEqual(["changelog", "commitSha", "version"]);
  });

  it("answers 422 for a body that is not JSON, and 415 for one that is not sent as JSON", async () => {
    const ci = await token(["release.create"]);
    const broken = await post(ci, "{ version: 1.4.0");
    expect(broken.status).toBe(422);
    expect(((await broken.json()) as ErrorBody).message).toBe("The body is not valid JSON");
    const form = await post(ci, "version=1.4.0", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    expect(((await form.json()) as ErrorBody).error).toBe("unsupported_media_type");
  });

  it("answers 401 with a Bearer challenge without a valid token", async () => {
    for (const bearer of [null, "glt_made-up"]) {
      const response = await post(bearer, release);
      expect(response.status).toBe(401);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await response.json()) as ErrorBody).error).toBe("unauthorized");
    }
    // a revoked token is no token
    const revoked = await token(["release.create"]);
    await db().apiToken.updateMany({ data: { revokedAt: new Date() } });
    expect((await post(revoked, release)).status).toBe(401);
    expect(await db().release.count()).toBe(0);
  });

  it("answers 403 for a token without release.create in the first environment", async () => {
    for (const ci of [await token(["audit.view"]), await token(["release.create"], ["production"])]) {
      const response = await post(ci, release);
      expect(response.status).toBe(403);
      expect(((await response.json()) as ErrorBody).error).toBe("forbidden");
    }
    expect(await db().auditEvent.count({ where: { action: "authz.denied" } })).toBe(2);
  });

  it("answers 404 for an unknown application", async () => {
    const response = await post(await token(["release.create"]), { ...release, application: "nope" });
    expect(response.status).toBe(404);
    expect(((await response.json()) as ErrorBody).error).toBe("not_found");
  });

  it("answers GET with 405 and the allowed method", () => {
    const response = GET();
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });
});
