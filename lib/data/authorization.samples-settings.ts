import { db } from "../db";
import type { Sample } from "./authorization.samples";

// Sample inputs for the environment-settings operations (settings, checklist template, freeze
// windows); merged into `samples` by authorization.samples.ts. Each leaves the environment as
// the other operations expect it: same name and place, no freeze active now.

const DAY = 24 * 60 * 60 * 1000;

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
      position: e.position,
    };
  },
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
};
