import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { hashToken } from "@/lib/session";
import { loadPreset } from "@/lib/presets/load";
import { toDbPermission, type Permission } from "@/lib/domain/permissions";
import type { Permission as DbPermission } from "@/lib/generated/prisma/client";
import { resetAuditTrail, resetDatabase } from "@/lib/test/reset";
import { tokenOwnerId } from "@/lib/test/tokens";

import { GET } from "./route";

// Requests with an API token, through the real look-up. The signed-in (cookie) paths need a
// real session and are covered end to end in e2e/access.spec.ts.

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
  await resetAuditTrail();
  await db().auditEvent.createMany({
    data: [
      { at: new Date("2026-03-01T08:00:00Z"), actorLabel: "Ana Ruiz", action: "auth.sign_in", entityType: "User" },
      {
        at: new Date("2026-03-01T08:05:00Z"),
        actorLabel: "=evil()",
        action: "auth.sign_in.failed",
        entityType: "User",
        after: { email: "=evil()", reason: "unknown email" },
      },
    ],
  });
});

/** An API token row and its plaintext, as the tokens page would hand it out once. */
async function token(permissions: Permission[]): Promise<string> {
  const plaintext = `gl_${randomUUID().replaceAll("-", "")}`;
  await db().apiToken.create({
    data: {
      name: `route-test-${plaintext.slice(3, 9)}`,
      prefix: plaintext.slice(0, 7),
      tokenHash: hashToken(plaintext),
      ownerId: await tokenOwnerId(),
      permissions: permissions.map((p) => toDbPermission(p) as DbPermission),
    },
  });
  return plaintext;
}

function get(query = "", authorization?: string): Promise<Response> {
  return GET(
    new Request(`http://localhost/audit/export${query}`, {
      headers: authorization ? { authorization } : {},
    }),
  );
}

describe("GET /audit/export", () => {
  it("answers a token holding audit.view with the CSV file", async () => {
    const response = await get("?action=auth.", `Bearer ${await token(["audit.view"])}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(
      /^attachment; filename="greenlight-audit-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.headers.get("x-audit-rows")).toBe("2");
    const lines = (await response.text()).split("\r\n");
    expect(lines[0]).toBe(
      "at,actor,actor_kind,action,action_label,environment,environment_name,entity_type,entity_id,summary,ip,before,after",
    );
    expect(lines[1]).toMatch(/^2026-03-01T08:05:00\.000Z,'=evil\(\),user,auth\.sign_in\.failed,Failed sign-in,/);
    expect(lines[2]).toMatch(/^2026-03-01T08:00:00\.000Z,Ana Ruiz,user,auth\.sign_in,Sign-in,/);
    expect(lines).toHaveLength(4);
    // the export is on the record, as the token
    const exported = await db().auditEvent.findFirst({ where: { action: "audit.export" } });
    expect(exported?.actorTokenId).not.toBeNull();
  });

  it("answers 401 for an unknown token", async () => {
    const response = await get("", "Bearer gl_not-a-real-token");
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "unauthorized" });
  });

  it("answers 403 for a token without audit.view, and records the refusal", async () => {
    const response = await get("", `Bearer ${await token(["release.create"])}`);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: "forbidden" });
    const denied = await db().auditEvent.findFirst({ where: { action: "authz.denied" } });
    expect(denied).toMatchObject({ entityId: "audit.view", after: { attempted: "audit.export" } });
    expect(denied?.actorTokenId).not.toBeNull();
  });

  it("answers 422 with field messages when the dates are reversed", async () => {
    const response = await get("?from=2026-03-05&to=2026-03-01", `Bearer ${await token(["audit.view"])}`);
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: "validation",
      fieldErrors: { to: ["“To” must be on or after “From”"] },
    });
  });
});
