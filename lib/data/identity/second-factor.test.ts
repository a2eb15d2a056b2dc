import { Secret, TOTP } from "otpauth";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { signedIn, userWithRoles } from "../../test/actors";
import { insertPromotionWorld, releaseAt, type PromotionWorld } from "../../test/promotion.fixture";
import { resetDatabase } from "../../test/reset";
import { loadUserActor } from "../actors/load";
import { tokenActor } from "../actors/token";
import { ForbiddenError, StepUpRequired, ValidationError } from "../errors";
import { decideApproval } from "../promotion/approvals";
import { resetSecondFactor } from "../users/users";
import {
  beginEnrolment,
  confirmEnrolment,
  secondFactorStatus,
  verifySecondFactor,
  verifySecondFactorCode,
} from "./second-factor";

// The authenticator app (RFC 6238) as a phone would compute it, from the secret shown at
// enrolment: these tests use the same maintained library as Greenlight, fed only what a person
// could read off the page.

process.env.AUTH_SECRET ??= "a test secret for sealing authenticator seeds";

function phone(secret: string, email: string) {
  const totp = new TOTP({ issuer: "Greenlight", label: email, secret: Secret.fromBase32(secret.replaceAll(" ", "")) });
  return {
    now: () => totp.generate(),
    /** the code of the next 30-second step (accepted: one step of drift either way) */
    next: () => totp.generate({ timestamp: Date.now() + 30_000 }),
    previous: () => totp.generate({ timestamp: Date.now() - 30_000 }),
  };
}

async function refreshed(actor: UserActor): Promise<UserActor> {
  return (await loadUserActor(actor.id, actor.session!.id))!;
}

async function enrolled(actor: UserActor) {
  const { secret, uri, qr } = await beginEnrolment(actor);
  expect(uri).toMatch(/^otpauth:\/\/totp\/Greenlight:/);
  expect(qr).toMatch(/^data:image\/png;base64,/);
  const app = phone(secret, actor.email);
  const { recoveryCodes } = await confirmEnrolment(actor, { code: app.previous() });
  return { app, recoveryCodes };
}

beforeEach(async () => {
  await resetDatabase();
});

describe("enrolling an authenticator app", () => {
  it("is in force only once a code is confirmed; the secret is stored sealed; ten recovery codes are stored hashed", async () => {
    const ana = await signedIn(await userWithRoles([]));
    const { secret } = await beginEnrolment(ana);
    expect((await secondFactorStatus(ana)).enrolled).toBe(false);
    const stored = await db().user.findUniqueOrThrow({ where: { id: ana.id } });
    expect(stored.totpSecret).not.toContain(secret.replaceAll(" ", ""));
    expect(stored.totpSecret).toMatch(/^v1\./);

    const wrong = await confirmEnrolment(ana, { code: "000000" }).catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(ValidationError);
    expect((wrong as ValidationError).fieldErrors.code?.[0]).toMatch(/does not match/);

    const { recoveryCodes } = await confirmEnrolment(ana, { code: phone(secret, ana.email).now() });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const rows = await db().recoveryCode.findMany({ where: { userId: ana.id } });
    expect(rows.map((r) => r.codeHash)).not.toContain(recoveryCodes[0]);
    expect(await secondFactorStatus(await refreshed(ana))).toMatchObject({ enrolled: true, recoveryCodesLeft: 10 });
    // enrolling proves the factor in this session
    expect((await refreshed(ana)).session?.secondFactorAt).not.toBeNull();
    expect(await db().auditEvent.count({ where: { action: "auth.second_factor.enrol", entityId: ana.id } })).toBe(1);
    // a second enrolment is refused while one is in force
    await expect(beginEnrolment(ana)).rejects.toThrow(/already have/);
  });
});

describe("a step-up with a code", () => {
  it("accepts a code once, then a newer one; a recovery code once; counts and audits failures", async () => {
    const ana = await signedIn(await userWithRoles([]));
    const { app, recoveryCodes } = await enrolled(ana);
    const later = await signedIn(ana);
    expect(later.session?.secondFactorAt).toBeNull();

    // the code used at enrolment (previous step) cannot be replayed
    await expect(verifySecondFactor(later, { code: app.previous() })).rejects.toBeInstanceOf(ValidationError);
    await verifySecondFactor(later, { code: app.now() });
    expect((await refreshed(later)).session?.secondFactorAt).not.toBeNull();
    await expect(verifySecondFactor(later, { code: app.now() })).rejects.toBeInstanceOf(ValidationError);
    await verifySecondFactor(later, { code: app.next() });

    await verifySecondFactor(later, { code: recoveryCodes[0]!.toUpperCase() });
    await expect(verifySecondFactor(later, { code: recoveryCodes[0]! })).rejects.toBeInstanceOf(ValidationError);
    expect((await secondFactorStatus(later)).recoveryCodesLeft).toBe(9);
    expect(await db().auditEvent.count({ where: { action: "auth.second_factor.verify" } })).toBe(3);
    expect(await db().auditEvent.count({ where: { action: "auth.second_factor.failed" } })).toBe(3);
  });

  it("refuses every code after five wrong ones, the right one included", async () => {
    const ana = await signedIn(await userWithRoles([]));
    const { app } = await enrolled(ana);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => verifySecondFactor(ana, { code: String(100000 + i) })),
    );
    expect(results.every((r) => r.status === "rejected")).toBe(true);
    const refused = await verifySecondFactor(ana, { code: app.next() }).catch((e: unknown) => e);
    expect((refused as ValidationError).message).toMatch(/Too many wrong codes/);
    expect(await verifySecondFactorCode(ana.id, app.next())).toBe(false);
  });

  it("an admin resets a lost factor, audited; the person can enrol again", async () => {
    const { loadPreset } = await import("../../presets/load");
    await loadPreset(db(), "000-monepiceriz", { password: "pw-for-tests" });
    const ana = await signedIn(await userWithRoles([]));
    await enrolled(ana);
    const qa = await userWithRoles(["qa"]);
    await expect(resetSecondFactor(qa, { userId: ana.id })).rejects.toBeInstanceOf(ForbiddenError);
    const manager = await userWithRoles(["admin"]);
    await resetSecondFactor(manager, { userId: ana.id });
    expect(await secondFactorStatus(ana)).toMatchObject({ enrolled: false, recoveryCodesLeft: 0 });
    expect(await db().auditEvent.count({ where: { action: "user.second_factor.reset", entityId: ana.id } })).toBe(1);
    await enrolled(ana);
  });
});

describe("an environment that asks for a second factor", () => {
  let world: PromotionWorld;
  beforeEach(async () => {
    world = await insertPromotionWorld();
    await db().environment.update({
      where: { id: world.env.production },
      data: { requireSecondFactor: true, secondFactorMaxAgeMinutes: 60 },
    });
  });

  const approve = (actor: Parameters<typeof decideApproval>[0], releaseId: string) =>
    decideApproval(actor, { releaseId, environmentKey: "production", decision: "approved" });

  it("refuses approving without a recent second factor (403, recorded with the reason) and allows it with one", async () => {
    const release = await releaseAt(world, world.developer.id, [world.env.development, world.env.staging]);
    const [approver] = world.approvers;
    const none = await signedIn(approver!);
    const stale = await signedIn(approver!, { secondFactorMinutesAgo: 61 });
    for (const actor of [approver!, none, stale]) {
      const refused = await approve(actor, release.id).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(StepUpRequired);
      expect(refused).toMatchObject({ status: 403, stepUp: "second_factor" });
    }
    expect(await db().approval.count()).toBe(0);
    const denied = await db().auditEvent.findMany({ where: { action: "authz.denied", actorUserId: approver!.id } });
    expect(denied).toHaveLength(3);
    const after = denied[0]!.after as { permission: string; reason: string };
    expect(after.permission).toBe("release.approve");
    expect(after.reason).toMatch(/no second factor in the last 60 minutes/);

    const fresh = await signedIn(approver!, { secondFactorMinutesAgo: 59 });
    await approve(fresh, release.id);
    expect(await db().approval.count()).toBe(1);
  });

  it("does not ask for reads there, nor anything where the environment does not ask", async () => {
    const release = await releaseAt(world, world.developer.id, [world.env.development, world.env.staging]);
    const { getEnvironment } = await import("../environments/read");
    expect((await getEnvironment(world.approvers[0]!, "production")).key).toBe("production");
    await db().environment.update({ where: { id: world.env.production }, data: { requireSecondFactor: false } });
    await approve(world.approvers[0]!, release.id);
    expect(await db().approval.count()).toBe(1);
  });

  it("an API token can never act there, whatever its permissions", async () => {
    const release = await releaseAt(world, world.developer.id, [world.env.development, world.env.staging]);
    const plaintext = "glt_second-factor-test-token-0123456789abcdef";
    const { hashToken } = await import("../actors/token");
    await db().apiToken.create({
      data: {
        name: "ci",
        prefix: plaintext.slice(0, 8),
        tokenHash: hashToken(plaintext),
        permissions: ["RELEASE_APPROVE", "ENVIRONMENT_VIEW"],
        ownerId: world.approvers[0]!.id,
      },
    });
    const token = await tokenActor(`Bearer ${plaintext}`);
    const refused = await approve(token!, release.id).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StepUpRequired);
    expect((refused as Error).message).toMatch(/API token cannot/);
  });
});
