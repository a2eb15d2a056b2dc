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
  /**
   * Where the provider's receiver reports progress and results (webhook callbacks):
   * `${GREENLIGHT_URL}/api/v1/deployments/{id}/events`. Absent in tests that need none.
   */
  eventsUrl?: string;
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
  /**
   * The colour the new release goes to (blue-green and canary: the idle one; the previous
   * release keeps running on the other, for an instant rollback). In a rollback, the colour
   * being abandoned; the one traffic returns to is previousColor.
   */
  color?: DeployColor;
  previousColor?: DeployColor;
  /** the rollout step this call belongs to (absent for direct deploys' single step) */
  step?: RolloutStepContext;
  /** aborted when the deployment is cancelled or the worker shuts down */
  signal: AbortSignal;
  /**
   * Records the provider's own id for the remote work as soon as it is known (a workflow run
   * id), before the work finishes: after a crash, `follow` picks it up instead of starting the
   * work a second time. Absent in tests that need none.
   */
  remember?: (providerRef: string) => Promise<void>;
}

/** What a provider is told about the step it is asked to carry out. */
export interface RolloutStepContext {
  /** 0-based index in the plan; the deploy itself (before any traffic moves) is step -1 */
  index: number;
  count: number;
  action: StepAction;
  /** share of traffic on the new release once this step is done (0–100) */
  trafficPercent: number;
}

/** deploy: ship the release (to the idle colour, receiving no traffic unless direct); traffic: move traffic; rollback: put the previous release back */
export type StepAction = "deploy" | "traffic" | "rollback";

export interface LogLine {
  /** "system" lines are written by Greenlight itself, the others by the provider's process */
  stream: "stdout" | "stderr" | "system";
  text: string;
  at: Date;
}

/** Receives log lines in order; a provider awaits each returned promise before the next line. */
export type LogSink = (line: LogLine) => void | Promise<void>;

/**
 * ok: done, optionally saying where the release runs: `url`, the live service (relative health
 * check URLs resolve against it rather than the environment's URL), and `previewUrl`, the idle
 * colour a blue-green or canary deploy just shipped to (the smoke check probes it before any
 * traffic moves). Both absolute http(s) URLs (lib/domain/reported-urls.ts). pending: accepted by
 * a receiver that reports the outcome later to POST /api/v1/deployments/{id}/events (webhooks);
 * the step waits for that report, up to the target's timeout. Not ok: failed, with a sentence
 * for people.
 */
export type DeployResult =
  | { ok: true; providerRef?: string; message?: string; url?: string; previewUrl?: string }
  | { ok: "pending"; providerRef: string; message?: string }
  | { ok: false; reason: string; providerRef?: string };

/** What "Test connection" learned. */
export type ConnectionReport = { ok: true; message: string } | { ok: false; reason: string };

/** What a provider can do: an impossible target (a strategy it cannot run) is refused when saved. */
export interface ProviderCapabilities {
  strategies: readonly DeployStrategy[];
  /** the provider can ask the target for the running version */
  versionCheck: boolean;
  /** "Test connection" can reach the target without deploying anything */
  testConnection: boolean;
}

export type DeployStatus =
  { state: "running" } | { state: "succeeded" } | { state: "failed"; reason: string } | { state: "unknown" };

/** What a version check knows: where to ask, never which release (that is the question). */
export interface VersionContext {
  application: { key: string };
  environment: { key: string; url?: string | null };
  /** aborted when the asker gives up */
  signal: AbortSignal;
}

/** The version the target says it runs, or why it did not say. */
export type VersionReport = { ok: true; version: string } | { ok: false; reason: string };

export interface DeployProvider {
  kind: DeployProviderKind;
  deploy(ctx: DeployContext, log: LogSink): Promise<DeployResult>;
  /** for providers whose deploys finish elsewhere (webhook callbacks, workflow runs) */
  status?(ctx: DeployContext, providerRef: string): Promise<DeployStatus>;
  /**
   * Resumes waiting for remote work this provider started before a crash (ctx.step says which
   * step), identified by the ref it remembered; it never starts the work again.
   */
  follow?(ctx: DeployContext, providerRef: string, log: LogSink): Promise<DeployResult>;
  /** canary and blue-green steps: route this share of traffic (0–100) to the new release */
  setTraffic?(ctx: DeployContext, percent: number, log: LogSink): Promise<DeployResult>;
  /**
   * Put release.previousVersion back in place (blue-green and canary: traffic back to
   * previousColor, which still runs it).
   */
  rollback(ctx: DeployContext, log: LogSink): Promise<DeployResult>;
  /** Reaches the target without deploying (credentials, workflow exists, receiver answers). */
  testConnection?(signal: AbortSignal): Promise<ConnectionReport>;
  /**
   * Asks the target what it runs now, for a target that can tell (after an interrupted deploy,
   * what runs is otherwise unknown until the next deploy). Absent: this target cannot say.
   */
  currentVersion?(ctx: VersionContext): Promise<VersionReport>;
}
