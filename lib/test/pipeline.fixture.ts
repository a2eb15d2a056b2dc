import pg from "pg";
import { vi } from "vitest";
import { db } from "../db";
import { fullAccessActor } from "./actors";

// A small pipeline for the lib/data integration tests (imported by *.test.ts only):
//   development → staging → production (protected, 2 approvals, canary 5 → 50 → 100)
//   storefront: 2.3.0 and 2.4.0 went everywhere; 2.5.0 is in development and staging, so it
//     waits for production; 2.6.0 was never deployed, so it waits for development.
//   payments: 1.0.0 runs in development, 1.1.0 is deploying there; 1.0.0 failed in staging.
// `actor` may do everything everywhere: the reads under test see the whole fixture.

export const T0 = new Date("2026-03-02T09:00:00.000Z");
export const hours = (n: number) => new Date(T0.getTime() + n * 3_600_000);

export async function insertFixture() {
  const ana = await db().user.create({
    data: { email: "ana@example.com", name: "Ana Ruiz", passwordHash: "scrypt$secret" },
  });
  const token = await db().apiToken.create({
    data: { name: "ci-main", prefix: "gl_ab12", tokenHash: "sha256-fixture" },
  });

  const [development, staging, production] = await Promise.all([
    db().environment.create({
      data: { key: "development", name: "Development", position: 0, color: "#0ea5e9", autoPromote: true },
    }),
    db().environment.create({
      data: {
        key: "staging",
        name: "Staging",
        position: 1,
        color: "not-a-colour",
        soakMinutes: 60,
        healthCheckPath: "/healthz",
      },
    }),
    db().environment.create({
      data: {
        key: "production",
        name: "Production",
        position: 2,
        protected: true,
        color: "#16a34a",
        url: "javascript:alert(1)",
        requiredApprovals: 2,
        preventSelfApproval: true,
        rolloutStrategy: "CANARY",
        rolloutSteps: [
          { percent: 5, pauseSeconds: 300 },
          { percent: 50, pauseSeconds: 600 },
          { percent: 100 },
          { percent: "lots" },
        ],
        healthCheckPath: "/healthz",
        errorRateThresholdPercent: 2.5,
      },
    }),
  ]);

  const storefront = await db().application.create({
    data: { key: "storefront", name: "Storefront", repositoryUrl: "https://git.example.com/storefront" },
  });
  const payments = await db().application.create({ data: { key: "payments", name: "Payments" } });

  const release = (applicationId: string, version: string, at: number, extra: object = {}) =>
    db().release.create({
      data: {
        applicationId,
        version,
        title: `Release ${version}`,
        commitSha: `${version.replaceAll(".", "")}abcdef0123456789`,
        createdAt: hours(at),
        ...extra,
      },
    });
  const s230 = await release(storefront.id, "2.3.0", 0);
  const s240 = await release(storefront.id, "2.4.0", 10, { createdById: ana.id });
  const s250 = await release(storefront.id, "2.5.0", 20, {
    createdByTokenId: token.id,
    changelog: "- Faster checkout\n- Fix coupon rounding",
    links: [
      { label: "Pull request", url: "https://git.example.com/storefront/pull/42" },
      { label: "Sneaky", url: "javascript:alert(1)" },
      "junk",
    ],
  });
  const s260 = await release(storefront.id, "2.6.0", 30);
  const p100 = await release(payments.id, "1.0.0", 5);
  const p110 = await release(payments.id, "1.1.0", 25);

  type Status = "QUEUED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "ROLLED_BACK" | "CANCELLED";
  const deploy = (
    r: { id: string; applicationId: string },
    environmentId: string,
    status: Status,
    at: number,
    extra: object = {},
  ) =>
    db().deployment.create({
      data: {
        releaseId: r.id,
        applicationId: r.applicationId,
        environmentId,
        status,
        queuedAt: hours(at),
        startedAt: status === "QUEUED" ? null : hours(at),
        finishedAt: status === "QUEUED" || status === "RUNNING" ? null : new Date(hours(at).getTime() + 5 * 60_000),
        ...extra,
      },
    });
  for (const [i, env] of [development, staging, production].entries()) {
    await deploy(s230, env.id, "SUCCEEDED", 1 + i);
    await deploy(s240, env.id, "SUCCEEDED", 11 + i, env === production ? { triggeredById: ana.id } : {});
  }
  await deploy(s250, development.id, "SUCCEEDED", 21);
  await deploy(s250, staging.id, "FAILED", 22, { failureReason: "smoke test failed" });
  await deploy(s250, staging.id, "SUCCEEDED", 23, { triggeredByTokenId: token.id });
  await deploy(p100, development.id, "SUCCEEDED", 6);
  await deploy(p100, staging.id, "FAILED", 7);
  await deploy(p110, development.id, "RUNNING", 26);

  const template = await db().checklistTemplate.create({
    data: { environmentId: production.id, name: "Production go-live" },
  });
  await db().checklistTemplateItem.createMany({
    data: [
      {
        templateId: template.id,
        position: 2,
        section: "After",
        label: "Watch error rates for 30 minutes",
        required: false,
      },
      {
        templateId: template.id,
        position: 1,
        section: "Before",
        label: "Release notes reviewed",
        hint: "by the product owner",
      },
    ],
  });
  await db().freezeWindow.createMany({
    data: [
      {
        environmentId: production.id,
        kind: "WEEKLY",
        reason: "Weekend",
        timeZone: "Europe/Berlin",
        weekday: 5,
        startMinute: 16 * 60,
        durationMinutes: 64 * 60,
      },
      {
        environmentId: production.id,
        kind: "ONE_OFF",
        reason: "Year-end",
        startsAt: new Date("2099-12-20T00:00:00Z"),
        endsAt: new Date("2100-01-02T00:00:00Z"),
      },
      {
        environmentId: production.id,
        kind: "ONE_OFF",
        reason: "Long over",
        startsAt: new Date("2020-01-01T00:00:00Z"),
        endsAt: new Date("2020-01-02T00:00:00Z"),
      },
    ],
  });
  const checkout = await db().featureFlag.create({
    data: { key: "new-checkout", name: "New checkout", category: "release" },
  });
  await db().featureFlag.create({ data: { key: "dark-mode", name: "Dark mode", category: "ui" } });
  await db().flagState.create({
    data: { flagId: checkout.id, environmentId: production.id, enabled: true, rolloutPercent: 10, updatedById: ana.id },
  });

  // created last, so its role covers every environment above
  const actor = await fullAccessActor();

  return {
    actor,
    ana,
    token,
    development,
    staging,
    production,
    storefront,
    payments,
    s230,
    s240,
    s250,
    s260,
    p100,
    p110,
  };
}

/** Runs fn and returns its result with the number of SQL statements it sent. */
export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number }> {
  await db().$queryRaw`select 1`; // connect first: connection set-up is not the function's cost
  const spy = vi.spyOn(pg.Client.prototype, "query");
  try {
    const result = await fn();
    return { result, queries: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}
