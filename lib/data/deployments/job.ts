import type { DeploymentStatus } from "@/lib/domain/deployment-state";
import type { RolloutStrategy } from "@/lib/domain/rollout";
import type { DeployTargetConfig } from "@/lib/deploy/registry";

/** What the deploy worker needs to run one deployment, read when it claims it. */
export interface DeployJob {
  deploymentId: string;
  status: DeploymentStatus;
  application: { id: string; key: string };
  environment: { id: string; key: string; name: string; url: string | null };
  release: { id: string; version: string; commitSha: string };
  strategy: RolloutStrategy;
  /** what ran there before, for the provider's context and for rollbacks */
  previous: { version: string; commitSha: string } | null;
  target: DeployTargetConfig | null;
}
