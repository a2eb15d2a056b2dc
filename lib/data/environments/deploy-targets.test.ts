import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PROVIDERS, type ProviderEntry } from "../../deploy/registry";
import { startReceiver, type Receiver } from "../../deploy/webhook/test-receiver";
import { db } from "../../db";
import type { UserActor } from "../../domain/access";
import { actorWith, userWithRoles } from "../../test/actors";
import { resetDatabase } from "../../test/reset";
import { loadPreset } from "../../presets/load";
import { ForbiddenError, NotFoundError, ValidationError } from "../errors";
import {
  deleteDeployTarget,
  getEnvironmentSettings,
  saveDeployTarget,
  testDeployTarget,
  updateRolloutSettings,
  type RolloutSettingsInput,
} from "./settings";

// Seed 001 (Ledgerline): one application (platform), Dev → Staging → Production, production
// blue-green. Deploy targets and rollout settings through their operations, against the
// database and, for "Test connection", a real HTTP receiver on 127.0.0.1.

const SECRET_VAR = "LEDGERLINE_TEST_WEBHOOK_SECRET";
const secretValue = `whsec_${randomBytes(24).toString("base64")}`;

let admin: UserActor;
let receiver: Receiver | null = null;

beforeEach(async () => {
  await resetDatabase();
  await loadPreset(db(), "001-ledgerline", { password: "pw-for-tests" });
  admin = await userWithRoles(["admin"]);
  process.env[SECRET_VAR] = secretValue;
});

afterEach(async () => {
  delete process.env[SECRET_VAR];
  await receiver?.close();
  receiver = null;
});

const audits = (action: string) =>
  db().auditEvent.findMany({ where: { action }, orderBy: [{ at: "asc" }, { id: "asc" }] });

async function fieldErrorsOf(run: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

const webhookTarget = (url: string) => ({
  environmentKey: "staging",
  application: "platform",
  provider: "webhook",
  config: { url, headers: { "X-Team": "payments" } },
  secretEnvVar: SECRET_VAR,
  timeoutSeconds: "300",
});

/** Rollout settings as the page sends them, from what staging holds now. */
async function rolloutOf(key: string): Promise<RolloutSettingsInput> {
  const page = await getEnvironmentSettings(admin, key);
  if (!page.allowed) throw new Error(`${key} settings refused`);
  return { environmentKey: key, ...page.rollout };
}

/** Runs `fn` while the webhook provider can only run direct deploys (none is limited today). */
async function withDirectOnlyWebhooks<T>(fn: () => Promise<T>): Promise<T> {
  const real: ProviderEntry = PROVIDERS.webhook;
  PROVIDERS.webhook = { ...real, capabilities: { ...real.capabilities, strategies: ["direct"] } };
  try {
    return await fn();
  } finally {
    PROVIDERS.webhook = real;
  }
}

/** A port on 127.0.0.1 that nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("deploy_target.save", () => {
  it("saves a webhook target, audited before/after, and shows it with its secret's variable set", async () => {
    const saved = await saveDeployTarget(admin, webhookTarget("https://hooks.ledgerline.example/deploy"));
    expect(saved).toMatchObject({
      application: { key: "platform", name: "Ledgerline platform" },
      target: {
        provider: "webhook",
        providerLabel: "Webhook",
        summary: ["Posts to https://hooks.ledgerline.example/deploy", "with X-Team"],
        secretEnvVar: SECRET_VAR,
        secretSet: true,
        timeoutSeconds: 300,
        canTest: true,
        problems: [],
      },
    });
    const row = await db().deployTarget.findFirstOrThrow({ where: { environment: { key: "staging" } } });
    expect(row).toMatchObject({
      provider: "WEBHOOK",
      config: { url: "https://hooks.ledgerline.example/deploy", headers: { "X-Team": "payments" } },
      secretEnvVar: SECRET_VAR,
      timeoutSeconds: 300,
    });
    const [first] = await audits("deploy_target.update");
    expect(first).toMatchObject({ entityType: "DeployTarget", entityId: row.id, actorUserId: admin.id });
    expect(first!.before).toBeNull();
    expect(first!.after).toMatchObject({ application: "platform", provider: "webhook", secretEnvVar: SECRET_VAR });

    // a change keeps what it was
    await saveDeployTarget(admin, { ...webhookTarget("https://hooks.ledgerline.example/v2"), timeoutSeconds: 120 });
    const [, second] = await audits("deploy_target.update");
    expect(second!.before).toMatchObject({
      config: { url: "https://hooks.ledgerline.example/deploy" },
      timeoutSeconds: 300,
    });
    expect(second!.after).toMatchObject({
      config: { url: "https://hooks.ledgerline.example/v2" },
      timeoutSeconds: 120,
    });

    // unset on this server: the page says so, still without any value
    delete process.env[SECRET_VAR];
    const page = await getEnvironmentSettings(admin, "staging");
    if (!page.allowed) throw new Error("refused");
    expect(page.targets.find((t) => t.application.key === "platform")?.target?.secretSet).toBe(false);
  });

  it("never stores, returns or records the secret variable's value", async () => {
    const saved = await saveDeployTarget(admin, webhookTarget("https://hooks.ledgerline.example/deploy"));
    const page = await getEnvironmentSettings(admin, "staging");
    const stored = await db().deployTarget.findMany();
    const trail = await db().auditEvent.findMany();
    for (const seen of [saved, page, stored, trail]) expect(JSON.stringify(seen)).not.toContain(secretValue);
    // nor a piece of it long enough to matter
    expect(JSON.stringify([saved, page, stored, trail])).not.toContain(secretValue.slice(6, 26));
  });

  it("refuses bad settings with a message under each field, storing nothing", async () => {
    const errors = await fieldErrorsOf(
      saveDeployTarget(admin, {
        ...webhookTarget("ftp://user:pw@hooks.example"),
        config: { url: "not a url", headers: { Authorization: "Bearer x" }, retries: 3 },
        secretEnvVar: "DATABASE_URL",
        timeoutSeconds: 0,
      }),
    );
    expect(Object.keys(errors).sort()).toEqual(
      ["config", "config.headers.Authorization", "config.url", "secretEnvVar", "timeoutSeconds"].sort(),
    );
    expect(errors["config.url"]).toEqual(["Enter a full URL, starting with https://"]);
    expect(errors.config).toEqual(["Unknown settings: retries"]);
    expect(errors.secretEnvVar![0]).toMatch(/one of Greenlight's own settings/);
    expect(errors.timeoutSeconds).toEqual(["Enter a whole number of seconds from 1 to 3600"]);

    // a missing secret, an unknown provider and a GitHub target without its repository
    expect(
      await fieldErrorsOf(saveDeployTarget(admin, { ...webhookTarget("https://h.example"), secretEnvVar: "" })),
    ).toEqual({
      secretEnvVar: [
        "Name the environment variable that holds the signing secret (whsec_…; two separated by a space while rotating)",
      ],
    });
    expect(
      Object.keys(await fieldErrorsOf(saveDeployTarget(admin, { ...webhookTarget("x"), provider: "ftp" }))),
    ).toEqual(["provider"]);
    const github = await fieldErrorsOf(
      saveDeployTarget(admin, {
        ...webhookTarget(""),
        provider: "github_actions",
        config: { owner: "ledgerline", workflow: "deploy.yml", ref: "main", inputs: { version: "1" } },
        secretEnvVar: "LEDGERLINE_GITHUB_TOKEN",
      }),
    );
    expect(Object.keys(github).sort()).toEqual(["config.inputs.version", "config.repo"]);

    expect(await db().deployTarget.count({ where: { environment: { key: "staging" } } })).toBe(0);
    expect(await audits("deploy_target.update")).toHaveLength(0);
    // an application that does not exist is unknown
    await expect(
      saveDeployTarget(admin, { ...webhookTarget("https://h.example"), application: "nope" }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a provider that cannot run the environment's strategy", async () => {
    // production rolls out blue-green
    const errors = await withDirectOnlyWebhooks(() =>
      fieldErrorsOf(
        saveDeployTarget(admin, { ...webhookTarget("https://hooks.example/deploy"), environmentKey: "production" }),
      ),
    );
    expect(errors).toEqual({
      provider: [
        "The webhook provider cannot run blue-green rollouts: choose another provider or change the environment's strategy",
      ],
    });
    expect(await db().deployTarget.count({ where: { environment: { key: "production" } } })).toBe(0);
  });

  it("is refused to someone without environment.manage, with an authz.denied row", async () => {
    const staging = await db().environment.findUniqueOrThrow({ where: { key: "staging" }, select: { id: true } });
    const viewer = await actorWith(["environment.view", "deploy.trigger"], [staging.id]);
    await saveDeployTarget(admin, webhookTarget("https://hooks.example/deploy"));
    const attempts: [string, () => Promise<unknown>][] = [
      ["deploy_target.save", () => saveDeployTarget(viewer, webhookTarget("https://evil.example/"))],
      [
        "deploy_target.delete",
        () => deleteDeployTarget(viewer, { environmentKey: "staging", application: "platform" }),
      ],
      ["deploy_target.test", () => testDeployTarget(viewer, { environmentKey: "staging", application: "platform" })],
      ["environment.rollout.update", async () => updateRolloutSettings(viewer, await rolloutOf("staging"))],
    ];
    for (const [name, attempt] of attempts) await expect(attempt(), name).rejects.toBeInstanceOf(ForbiddenError);
    const denied = await audits("authz.denied");
    expect(denied.map((d) => (d.after as { attempted: string }).attempted).sort()).toEqual(
      attempts.map(([name]) => name).sort(),
    );
    expect(denied.every((d) => d.actorUserId === viewer.id && d.entityId === "environment.manage")).toBe(true);
    const row = await db().deployTarget.findFirstOrThrow({ where: { environment: { key: "staging" } } });
    expect(row.config).toMatchObject({ url: "https://hooks.example/deploy" });
    expect(await audits("deploy_target.test")).toHaveLength(0);

    // they see what is set, read-only, without the stored settings themselves
    const page = await getEnvironmentSettings(viewer, "staging");
    expect(page.allowed).toBe(false);
    if (page.allowed) return;
    expect(page.effective?.rollout.strategy).toBe("direct");
    const shown = page.effective?.targets.find((t) => t.application.key === "platform")?.target;
    expect(shown).toMatchObject({ providerLabel: "Webhook", secretEnvVar: SECRET_VAR, secretSet: true });
    expect(shown).not.toHaveProperty("config");
  });
});

describe("deploy_target.delete", () => {
  it("removes the target, recording what it was; a second removal finds nothing", async () => {
    await saveDeployTarget(admin, webhookTarget("https://hooks.example/deploy"));
    await expect(deleteDeployTarget(admin, { environmentKey: "staging", application: "platform" })).resolves.toEqual({
      application: "platform",
    });
    expect(await db().deployTarget.count({ where: { environment: { key: "staging" } } })).toBe(0);
    const [row] = await audits("deploy_target.delete");
    expect(row!.before).toMatchObject({ application: "platform", provider: "webhook" });
    await expect(
      deleteDeployTarget(admin, { environmentKey: "staging", application: "platform" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await audits("deploy_target.delete")).toHaveLength(1);
  });
});

describe("deploy_target.test", () => {
  it("pings a real webhook receiver with a signed event and records the answer", async () => {
    receiver = await startReceiver();
    await saveDeployTarget(admin, webhookTarget(receiver.url));
    const result = await testDeployTarget(admin, { environmentKey: "staging", application: "platform" });
    expect(result).toEqual({
      application: "platform",
      provider: "webhook",
      ok: true,
      message: expect.stringMatching(/answered the signed ping with HTTP 202/) as string,
    });
    expect(receiver.received).toHaveLength(1);
    const ping = receiver.received[0]!;
    expect(JSON.parse(ping.body)).toMatchObject({ type: "ping" });
    expect(ping.headers["webhook-signature"]).toMatch(/^v1,/);
    expect(ping.headers["x-team"]).toBe("payments");
    const [row] = await audits("deploy_target.test");
    expect(row).toMatchObject({ actorUserId: admin.id, entityType: "DeployTarget" });
    expect(row!.after).toMatchObject({ application: "platform", ok: true });

    // a receiver that refuses says how
    receiver.answers.push({ status: 401, body: '{"error":"bad signature"}' });
    const refused = await testDeployTarget(admin, { environmentKey: "staging", application: "platform" });
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/HTTP 401/) as string });
    expect(await audits("deploy_target.test")).toHaveLength(2);
  });

  it("says why an unreachable receiver was not reached, and records that too", async () => {
    const port = await closedPort();
    await saveDeployTarget(admin, webhookTarget(`http://127.0.0.1:${port}/hooks`));
    const started = Date.now();
    const result = await testDeployTarget(admin, { environmentKey: "staging", application: "platform" });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/^Could not reach/) as string });
    const [row] = await audits("deploy_target.test");
    expect(row!.after).toMatchObject({ ok: false, message: result.message });
    // with the secret unset, the test says what to set, and reaches nobody
    delete process.env[SECRET_VAR];
    const unset = await testDeployTarget(admin, { environmentKey: "staging", application: "platform" });
    expect(unset).toMatchObject({ ok: false, message: expect.stringContaining(SECRET_VAR) as string });
  });

  it("answers 404 for an application without a target here", async () => {
    await expect(
      testDeployTarget(admin, { environmentKey: "staging", application: "platform" }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await audits("deploy_target.test")).toHaveLength(0);
  });
});

describe("environment.rollout.update", () => {
  // seed 002's rules: 5xx ratio over 5 minutes > 5 % fails, p95 latency > 3 s asks a person
  const seed002Rules = [
    {
      kind: "prometheus",
      name: "5xx ratio",
      serverUrl: "http://127.0.0.1:9090",
      query:
        'sum(rate(http_requests_total{app="{{application}}",code=~"5.."}[5m])) / sum(rate(http_requests_total{app="{{application}}"}[5m]))',
      comparator: ">",
      threshold: "0.05",
      onBreach: "failure",
    },
    {
      kind: "prometheus",
      name: "p95 latency",
      serverUrl: "http://127.0.0.1:9090/",
      query:
        'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{app="{{application}}"}[5m])))',
      comparator: ">",
      threshold: 3,
      onBreach: "inconclusive",
    },
    { kind: "http", name: "health", url: "/healthz", expectedStatus: "200", failuresAllowed: 2 },
  ];

  it("saves strategy, steps, queue policy and health checks, audited before/after", async () => {
    const result = await updateRolloutSettings(admin, {
      environmentKey: "staging",
      strategy: "canary",
      steps: [
        { percent: "5", pauseSeconds: "300" },
        { percent: 50, pauseSeconds: 300 },
      ],
      queuePolicy: "replace",
      healthChecks: seed002Rules,
    });
    expect(result).toMatchObject({
      strategy: "canary",
      steps: [
        { percent: 5, pauseSeconds: 300 },
        { percent: 50, pauseSeconds: 300 },
      ],
      queuePolicy: "replace",
      healthChecks: [
        { name: "5xx ratio", threshold: 0.05, serverUrl: "http://127.0.0.1:9090", intervalSeconds: 30 },
        { name: "p95 latency", onBreach: "inconclusive", serverUrl: "http://127.0.0.1:9090" },
        { name: "health", kind: "http", expectedStatus: 200, timeoutSeconds: 5 },
      ],
    });
    const row = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
    expect(row).toMatchObject({ rolloutStrategy: "CANARY", deployQueuePolicy: "REPLACE" });
    expect(row.healthChecks).toHaveLength(3);
    const [audit] = await audits("environment.rollout.update");
    expect(audit!.before).toMatchObject({ strategy: "direct", queuePolicy: "queue", healthChecks: [] });
    expect(audit!.after).toMatchObject({ strategy: "canary", queuePolicy: "replace" });
    expect(await rolloutOf("staging")).toMatchObject({ strategy: "canary", queuePolicy: "replace" });
  });

  it("answers 422 with field messages for bad steps and health checks, changing nothing", async () => {
    const errors = await fieldErrorsOf(
      updateRolloutSettings(admin, {
        ...(await rolloutOf("staging")),
        strategy: "canary",
        steps: [
          { percent: 50, pauseSeconds: 60 },
          { percent: 10, pauseSeconds: 60 },
        ],
        healthChecks: [
          { kind: "http", name: "up", url: "ftp://x" },
          { kind: "prometheus", name: "up", serverUrl: "http://p:9090", query: "up", comparator: "!=" },
          { kind: "smoke" },
        ],
      }),
    );
    expect(errors).toEqual({
      steps: ["Step 2: each step must send more traffic than the one before"],
      "healthChecks.0.url": ["Use an http:// or https:// URL"],
      "healthChecks.1.name": ['Another check is already named "up"'],
      "healthChecks.1.comparator": ["Choose how to compare: >, >=, < or <="],
      "healthChecks.1.threshold": ["Enter the threshold as a number"],
      "healthChecks.2.kind": ['Choose the kind of check: "http" or "prometheus"'],
    });
    expect(
      await fieldErrorsOf(updateRolloutSettings(admin, { ...(await rolloutOf("staging")), healthChecks: "nope" })),
    ).toEqual({ healthChecks: ["Send the health checks as a list"] });
    expect(
      Object.keys(
        await fieldErrorsOf(
          updateRolloutSettings(admin, { ...(await rolloutOf("staging")), strategy: "rainbow", queuePolicy: "later" }),
        ),
      ).sort(),
    ).toEqual(["queuePolicy", "strategy"]);
    const row = await db().environment.findUniqueOrThrow({ where: { key: "staging" } });
    expect(row).toMatchObject({ rolloutStrategy: "DIRECT", healthChecks: [] });
    expect(await audits("environment.rollout.update")).toHaveLength(0);
  });

  it("refuses a strategy a deploy target cannot run, naming the target", async () => {
    await saveDeployTarget(admin, webhookTarget("https://hooks.example/deploy"));
    const errors = await withDirectOnlyWebhooks(async () =>
      fieldErrorsOf(updateRolloutSettings(admin, { ...(await rolloutOf("staging")), strategy: "canary" })),
    );
    expect(errors).toEqual({
      strategy: [
        "The deploy target of Ledgerline platform (Webhook) cannot run canary rollouts: change its provider first, or keep direct",
      ],
    });
    expect((await db().environment.findUniqueOrThrow({ where: { key: "staging" } })).rolloutStrategy).toBe("DIRECT");
    // keeping the strategy while changing the rest is fine
    await withDirectOnlyWebhooks(async () =>
      updateRolloutSettings(admin, { ...(await rolloutOf("staging")), queuePolicy: "refuse" }),
    );
    expect((await db().environment.findUniqueOrThrow({ where: { key: "staging" } })).deployQueuePolicy).toBe("REFUSE");
  });
});
