// The kinds of deploy provider a target can name. The providers themselves live in lib/deploy.

export const DEPLOY_PROVIDER_KINDS = ["command", "webhook", "github_actions"] as const;
export type DeployProviderKind = (typeof DEPLOY_PROVIDER_KINDS)[number];

export const LOG_STREAMS = ["stdout", "stderr", "system"] as const;
export type LogStream = (typeof LOG_STREAMS)[number];
