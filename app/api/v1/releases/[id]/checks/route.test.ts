import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { loadPreset } from "@/lib/presets/load";
import type { Permission } from "@/lib/domain/permissions";
import { resetDatabase } from "@/lib/test/reset";
import { insertToken } from "@/lib/test/tokens";
import { GET, POST } from "./route";

// The checks route with real requests and real tokens: statuses, bodies and refusals over HTTP.

const NOBODY = "01234567-89ab-7cde-8f01-23456789abcd";
let releaseId = "";

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  const application = await db().application.findFirstOrThrow({ select: { id: true } });
  releaseId = (
    await db().release.create({
      data: { applicationId: application.id, version: "1.4.0", commitSha: "3f2a9c1", title: "Checks" },
    })
  ).id;
});

const token = (permissions: Permission[]) => insertToken(permissions, { name: "ci-main" });

const call = (handler: typeof POST, id: string, bearer: string | null, body?: unknown) =>
  handler(
    new Request(`http://localhost/api/v1/releases/${id}/checks`, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
    { params: Promise.resolve({ id }) },
  );

const check = { name: "unit-tests", status: "failure", url: "https://ci.example.test/runs/7", summary: "3 failed" };

describe("/api/v1/releases/{id}/checks", () => {
  it("answers 201 for a new check, 200 for a change or a repeat, and lists it", async () => {
    const ci = await token(["environment.view", "release.check"]);
    const first = await call(POST, releaseId, ci, check);
    expect(first.status).toBe(201);
    expect(await first.json()).toMatchObject({
      check: { name: "unit-tests", status: "failure", url: "https://ci.example.test/runs/7", environment: null },
      changed: true,
      checklist: { ticked: 0, unticked: 0 },
    });
    const passed = await call(POST, releaseId, ci, { ...check, status: "success", summary: "all passed" });
    expect(passed.status).toBe(200);
    expect(((await passed.json()) as { changed: boolean }).changed).toBe(true);
    const repeat = await call(POST, releaseId, ci, { ...check, status: "success", summary: "all passed" });
    expect(((await repeat.json()) as { changed: boolean }).changed).toBe(false);

    const list = await call(GET, releaseId, ci);
    expect(list.status).toBe(200);
    expect(await list.json()).toMatchObject({
      releaseId,
      version: "1.4.0",
      checks: [{ name: "unit-tests", status: "success", reportedBy: "token ci-main" }],
    });
  });

  it("refuses: 401 for an unknown token, 403 without release.check, 404 for unknown or malformed ids, 422 for bad fields", async () => {
    const ci = await token(["environment.view", "release.check"]);
    // a made-up token (no session outside a request here: e2e/api.spec.ts asks without one)
    expect((await call(POST, releaseId, "glt_made-up", check)).status).toBe(401);
    expect((await call(POST, releaseId, await token(["environment.view", "release.create"]), check)).status).toBe(403);
    expect((await call(POST, NOBODY, ci, check)).status).toBe(404);
    expect((await call(POST, "not-an-id", ci, check)).status).toBe(404);
    expect((await call(GET, NOBODY, ci)).status).toBe(404);
    const bad = await call(POST, releaseId, ci, { ...check, status: "green", url: "ftp://x.example" });
    expect(bad.status).toBe(422);
    expect(Object.keys(((await bad.json()) as { fieldErrors: object }).fieldErrors).sort()).toEqual(["status", "url"]);
    expect((await call(POST, releaseId, ci, { ...check, environment: "nowhere" })).status).toBe(404);
    expect(await db().releaseCheck.count()).toBe(0);
  });
});
