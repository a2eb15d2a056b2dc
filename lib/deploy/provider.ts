// The contract between the deploy job and whatever actually ships a release (a local command, a
// webhook, a GitHub Actions workflow). Providers know nothing about the database: the job hands
// them a context and a log sink and records what they return, so a provider can be tested with
// real processes or real HTTP and nothing else.

import type { DeployProviderKind } from "../domain/deploy-providers";
import type { RolloutStrategy } from "../domain/rollout";

export type DeployStrategy = RolloutStrategy;
export type DeployColor = "blue" | "green";

export interface DeployContext {
  deploymentId: string;
  application: { key: string };
  environment: { key: string; url?: string | null };
  release: {
    version: string;
    commitSha: string;
    /** what runs in the environment before this deployment, if anything */
    previousVersion?: string;
    previousCommitSha?: string;
  };
  strategy: DeployStrategy;
  /** the colour being deployed to, for blue-green */
  color?: DeployColor;
  /** aborted when the deployment is cancelled or the worker shuts down */
  signal: AbortSignal;
}

export interface LogLine {
  /** "system" lines are written by Greenlight itself, the others by the provider's process */
  stream: "stdout" | "stderr" | "system";
  text: string;
  at: Date;
}

/** Receives log lines in order; a provider awaits each returned promise before the next line. */
export type LogSink = (line: LogLine) => void | Promise<void>;

export type DeployResult = { ok: true; providerRef?: string } | { ok: false; reason: string; providerRef?: string };

export type DeployStatus =
  { state: "running" } | { state: "succeeded" } | { state: "failed"; reason: string } | { state: "unknown" };

export interface DeployProvider {
  kind: DeployProviderKind;
  deploy(ctx: DeployContext, log: LogSink): Promise<DeployResult>;
  /** for providers whose deploys finish elsewhere (webhook callbacks, workflow runs) */
  status?(ctx: DeployContext, providerRef: string): Promise<DeployStatus>;
  /** canary steps: route this share of traffic (0–100) to the new release */
  setTraffic?(ctx: DeployContext, percent: number, log: LogSink): Promise<DeployResult>;
  /** put release.previousVersion back in place */
  rollback(ctx: DeployContext, log: LogSink): Promise<DeployResult>;
}
