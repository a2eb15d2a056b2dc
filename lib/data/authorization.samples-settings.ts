import { db } from "../db";
import type { Sample } from "./authorization.samples";

// Sample inputs for the environment-settings operations (settings, checklist template, freeze
// windows); merged into `samples` by authorization.samples.ts. Each leaves the environment as
// the other operations expect it: same name and place, no freeze active now.

const DAY = 24 * 60 * 60 * 1000;

/** One application for the deploy target samples, made once. */
async function sampleApplication(): Promise<string> {
  const app = await db().application.upsert({
    where: { key: "authz-sample" },
    create: { key: "authz-sample", name: "Authorization sample" },
    update: {},
    select: { key: true },
  });
  return app.key;
}

/** A command target that exists and is executable (the Node running the tests): tested in a moment. */
const sampleTarget = { provider: "command" as const, config: { command: process.execPath, args: ["--version"] } };

async function withSampleTarget(environment: { id: string; key: string }) {
  const key = await sampleApplication();
  const app = await db().application.findUniqueOrThrow({ where: { key }, select: { id: true } });
  await db().deployTarget.upsert({
    where: { applicationId_environmentId: { applicationId: app.id, environmentId: environment.id } },
    create: { applicationId: app.id, environmentId: environment.id, provider: "COMMAND", config: sampleTarget.config },
    update: {},
  });
  return { environmentKey: environment.key, application: key };
}

export const settingsSamples: Record<string, Sample> = {
  // the environment's own settings, so a permitted call changes nothing that matters
  "environment.update": async ({ environment }) => {
    const e = await db().environment.findUniqueOrThrow({ where: { id: environment.id } });
    return {
      environmentKey: e.key,
      name: e.name,
      description: e.description,
      color: /^#[0-9a-f]{6}$/i.test(e.color) ? e.color : "#64748b",
      url: e.url,
      protected: e.protected,
      requiredApprovals: e.requiredApprovals,
      preventSelfApproval: e.preventSelfApproval,
      soakMinutes: e.soakMinutes,
      autoPromote: e.autoPromote,
      requireSecondFactor: e.requireSecondFactor,
      secondFactorMaxAgeMinutes: e.secondFactorMaxAgeMinutes,
      position: e.position,
    };
  },
  // the environment's own rollout, so a permitted call changes nothing that matters
  "environment.rollout.update": async ({ environment }) => {
    const e = await db().environment.findUniqueOrThrow({ where: { id: environment.id } });
    return {
      environmentKey: e.key,
      strategy: e.rolloutStrategy.toLowerCase(),
      steps: e.rolloutSteps,
      queuePolicy: e.deployQueuePolicy.toLowerCase(),
      healthChecks: e.healthChecks,
    };
  },
  "environment.rollout.view": ({ environment }) => Promise.resolve({ environmentKey: environment.key }),
  // a target of an application no other sample deploys
  "deploy_target.save": async ({ environment }) => ({
    environmentKey: environment.key,
    application: await sampleApplication(),
    ...sampleTarget,
    secretEnvVar: null,
    timeoutSeconds: 60,
  }),
  "deploy_target.delete": ({ environment }) => withSampleTarget(environment),
  "deploy_target.test": ({ environment }) => withSampleTarget(environment),
  "checklist.template.update": ({ environment, unique }) =>
    Promise.resolve({
      environmentKey: environment.key,
      name: `Sample checklist ${unique}`,
      items: [{ label: `Sample item ${unique}`, required: false }],
    }),
  // next week, so it never freezes anything while the suite runs
  "freeze.create": ({ environment, unique }) =>
    Promise.resolve({
      environmentKey: environment.key,
      kind: "one_off",
      reason: `Sample freeze ${unique}`,
      timeZone: "UTC",
      startsAt: new Date(Date.now() + 7 * DAY).toISOString(),
      endsAt: new Date(Date.now() + 8 * DAY).toISOString(),
    }),
  "freeze.delete": async ({ environment, unique }) => {
    const window = await db().freezeWindow.create({
      data: {
        environmentId: environment.id,
        kind: "ONE_OFF",
        reason: `Sample freeze ${unique}`,
        startsAt: new Date(Date.now() + 7 * DAY),
        endsAt: new Date(Date.now() + 8 * DAY),
      },
    });
    return { environmentKey: environment.key, freezeId: window.id };
  },
  "sdk_key.list": ({ environment }) => Promise.resolve({ environmentKey: environment.key }),
  "sdk_key.create": ({ environment, unique }) =>
    Promise.resolve({ environmentKey: environment.key, name: `sample-${unique}` }),
  "sdk_key.revoke": async ({ environment, unique }) => {
    const key = await db().sdkKey.create({
      data: {
        environmentId: environment.id,
        name: `sample-${unique}`,
        prefix: "glsdk_sample",
        keyHash: `sample-${unique}`,
      },
    });
    return { environmentKey: environment.key, sdkKeyId: key.id };
  },
  // notifications (lib/data/notifications/): settings, channels, deliveries
  "notification.settings.read": () => Promise.resolve({}),
  "notification.mail.update": () =>
    Promise.resolve({
      host: "smtp.example.test",
      port: 587,
      security: "starttls",
      username: "greenlight",
      passwordEnvVar: "SAMPLE_SMTP_PASSWORD",
      fromAddress: "Greenlight <greenlight@example.test>",
      enabled: true,
    }),
  // no mail server saved: a permitted call answers 409 at once instead of dialling one
  "notification.mail.test": async () => {
    await db().mailSettings.deleteMany();
    return { to: "someone@example.test" };
  },
  "notification.channel.save": ({ environment, unique }) =>
    Promise.resolve({
      environmentKey: environment.key,
      name: `Sample ${unique}`,
      format: "slack",
      urlEnvVar: "SAMPLE_SLACK_URL",
      kinds: ["deployment.failed"],
    }),
  "notification.channel.global.save": ({ unique }) =>
    Promise.resolve({
      name: `Sample ${unique}`,
      format: "standard_webhooks",
      url: "https://hooks.example.test/greenlight",
      secretEnvVar: "SAMPLE_WEBHOOK_SECRET",
    }),
  "notification.channel.delete": async ({ environment, unique }) => {
    const channel = await db().notificationChannel.create({
      data: { name: `Sample ${unique}`, format: "SLACK", urlEnvVar: "SAMPLE_SLACK_URL", environmentId: environment.id },
    });
    return { environmentKey: environment.key, channelId: channel.id };
  },
  "notification.channel.global.delete": async ({ unique }) => {
    const channel = await db().notificationChannel.create({
      data: { name: `Sample ${unique}`, format: "SLACK", urlEnvVar: "SAMPLE_SLACK_URL" },
    });
    return { channelId: channel.id };
  },
  "notification.delivery.list": () => Promise.resolve({ status: "failed" }),
  "notification.delivery.resend": async ({ environment, unique }) => {
    const event = await db().notificationEvent.create({
      data: {
        kind: "DEPLOYMENT_FAILED",
        key: `sample:${unique}`,
        title: `Sample ${unique}`,
        body: "Sample",
        path: "/",
        environmentId: environment.id,
      },
    });
    const channel = await db().notificationChannel.create({
      data: { name: `Sample ${unique}`, format: "SLACK", urlEnvVar: "SAMPLE_SLACK_URL", enabled: false },
    });
    const delivery = await db().notificationDelivery.create({
      data: {
        eventId: event.id,
        channel: "WEBHOOK",
        targetId: channel.id,
        webhookId: channel.id,
        status: "FAILED",
        attempts: 1,
        lastError: "Sample",
      },
    });
    return { deliveryId: delivery.id };
  },
};
