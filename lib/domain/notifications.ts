// What Greenlight tells people, and through which channel. Pure vocabulary and the defaults:
// lib/data decides who an event concerns (by the access matrix) and reads each person's choices.

export const NOTIFICATION_KINDS = [
  "approval.waiting",
  "checklist.waiting",
  "flag_change.waiting",
  "deployment.failed",
  "deployment.rolled_back",
  "deployment.paused",
  "freeze.override",
  "release.production",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The channels a person chooses between; webhooks are set per environment, not per person. */
export const PERSONAL_CHANNELS = ["inbox", "email"] as const;
export type PersonalChannel = (typeof PERSONAL_CHANNELS)[number];

export interface KindMeta {
  label: string;
  /** who receives it, in words, for the preferences page */
  audience: string;
}

export const NOTIFICATION_KIND_META: Record<NotificationKind, KindMeta> = {
  "approval.waiting": {
    label: "A release waits for my approval",
    audience: "People who may approve releases in that environment",
  },
  "checklist.waiting": {
    label: "A checklist waits for me",
    audience: "People who may tick checklists in that environment",
  },
  "flag_change.waiting": {
    label: "A flag change request waits for me",
    audience: "People who may approve flag changes there, except its author",
  },
  "deployment.failed": {
    label: "A deployment failed",
    audience: "Who started it, and people who may deploy or roll back there",
  },
  "deployment.rolled_back": {
    label: "A deployment was rolled back",
    audience: "Who started it, and people who may deploy or roll back there",
  },
  "deployment.paused": {
    label: "A deployment paused for a decision",
    audience: "Who started it, and people who may deploy or roll back there",
  },
  "freeze.override": {
    label: "Someone promoted through a freeze",
    audience: "People who manage that environment",
  },
  "release.production": {
    label: "My release reached production",
    audience: "The release's author",
  },
};

export interface Channels {
  inbox: boolean;
  email: boolean;
}

/**
 * The email a role gets without choosing: what waits for that role's own decision, and for
 * people who run deploys, what went wrong. The inbox gets everything by default.
 */
const EMAIL_BY_ROLE: Record<string, readonly NotificationKind[]> = {
  admin: ["freeze.override", "deployment.failed", "deployment.rolled_back"],
  product_owner: ["approval.waiting", "release.production"],
  qa: ["checklist.waiting"],
  developer: ["release.production", "deployment.failed"],
  devops: ["deployment.failed", "deployment.rolled_back", "deployment.paused"],
  operations: ["deployment.failed", "deployment.rolled_back", "deployment.paused", "freeze.override"],
  business_owner: ["approval.waiting", "release.production"],
};

/** A kind that asks for someone's decision is emailed to anyone by default, whatever their role. */
const EMAIL_FOR_EVERYONE: readonly NotificationKind[] = ["approval.waiting", "flag_change.waiting"];

/** What a person with these roles receives for `kind` before they choose anything. */
export function defaultChannels(kind: NotificationKind, roleKeys: readonly string[]): Channels {
  const email =
    EMAIL_FOR_EVERYONE.includes(kind) || roleKeys.some((role) => EMAIL_BY_ROLE[role]?.includes(kind) ?? false);
  return { inbox: true, email };
}

/** The person's choice where they made one, else their roles' default. */
export function channelsFor(
  kind: NotificationKind,
  roleKeys: readonly string[],
  chosen: Partial<Record<NotificationKind, Channels>>,
): Channels {
  return chosen[kind] ?? defaultChannels(kind, roleKeys);
}

/** Delivery attempts before a delivery is marked failed, and the wait before each retry. */
export const DELIVERY_MAX_ATTEMPTS = 6;

/** Seconds to wait after failed attempt `attempt` (1-based): 5 s, 30 s, 2 min, 10 min, 30 min. */
export function retryDelaySeconds(attempt: number): number {
  const delays = [5, 30, 120, 600, 1800];
  return delays[Math.min(Math.max(attempt, 1), delays.length) - 1] ?? 1800;
}

/**
 * Whether a failed attempt is worth another: timeouts, refused connections, 5xx, 408 and 429.
 * Any other 4xx means the request itself is wrong (a removed hook, a bad secret): retrying would
 * only repeat it.
 */
export function isRetryable(failure: { status?: number | null; network?: boolean }): boolean {
  if (failure.network) return true;
  const status = failure.status ?? 0;
  return status >= 500 || status === 408 || status === 429;
}
