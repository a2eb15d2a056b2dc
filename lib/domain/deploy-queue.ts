// What a promotion does while another deployment holds its application in the environment
// (Environment.deployQueuePolicy). One home for the names and the one-line explanations the
// settings page shows; lib/data/promotion/promote.ts acts on them.

export const QUEUE_POLICIES = ["queue", "replace", "refuse"] as const;
export type QueuePolicy = (typeof QUEUE_POLICIES)[number];

export const QUEUE_POLICY_LABELS: Record<QueuePolicy, string> = {
  queue: "Queue",
  replace: "Newest wins",
  refuse: "Refuse",
};

export const QUEUE_POLICY_HINTS: Record<QueuePolicy, string> = {
  queue: "A second promotion waits its turn; waiting ones deploy oldest first.",
  replace: "A second promotion replaces those still waiting, which are cancelled with the reason.",
  refuse: "A second promotion is refused while a deployment is under way, with the reason.",
};

export function isQueuePolicy(value: unknown): value is QueuePolicy {
  return typeof value === "string" && (QUEUE_POLICIES as readonly string[]).includes(value);
}
