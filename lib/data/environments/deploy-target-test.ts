import "server-only";
import { z } from "zod";
import { testTargetConnection } from "@/lib/deploy/registry";
import { PROVIDERS } from "@/lib/deploy/registry";
import type { ConnectionReport } from "@/lib/deploy/provider";
import { audit } from "../audit/record";
import { sqlOf, transaction } from "../context";
import { DEPLOY_PROVIDER_KINDS } from "@/lib/domain/deploy-providers";
import { fromSql } from "../enums";
import { NotFoundError } from "../errors";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";
import { environmentByKey } from "./by-key";
import { applicationByKey, applicationKey } from "./deploy-target-shared";

// "Test connection" (deploy_target.test): reaches an application's saved target without
// deploying anything — the command exists and is executable, the webhook receiver answers a
// signed ping, the workflow exists and the token may dispatch it. Nothing changes but the audit
// trail, which keeps every attempt and its answer. The provider is called outside any
// transaction: a slow target holds no lock and no connection.

export const CONNECTION_TEST_MS = 15_000;

export interface ConnectionTestResult {
  application: string;
  provider: string;
  ok: boolean;
  /** what the target answered, or why it could not be reached: a sentence for the page */
  message: string;
}

const testInput = z.object({ environmentKey, application: applicationKey });

/** The provider's answer, or a sentence once `ms` have passed (a provider that ignores its signal too). */
async function reach(target: Parameters<typeof testTargetConnection>[0], ms: number): Promise<ConnectionReport> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ConnectionReport>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new Error(`no answer within ${ms / 1000} s`));
      resolve({ ok: false, reason: `The target did not answer within ${ms / 1000} seconds` });
    }, ms);
  });
  try {
    return await Promise.race([testTargetConnection(target, controller.signal), late]);
  } finally {
    clearTimeout(timer);
  }
}

export const testDeployTarget = defineOperation({
  name: "deploy_target.test",
  permission: "environment.manage",
  input: testInput,
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: async ({ actor, input, environment, ctx }): Promise<ConnectionTestResult> => {
    const sql = sqlOf(ctx);
    const application = await applicationByKey(sql, input.application);
    const [row] = await sql.$queryRaw<
      { id: string; provider: string; config: unknown; secretEnvVar: string | null; timeoutSeconds: number }[]
    >`select id, provider::text as provider, config, "secretEnvVar", "timeoutSeconds" from "DeployTarget"
      where "applicationId" = ${application.id}::uuid and "environmentId" = ${environment.id}::uuid`;
    if (!row) throw new NotFoundError(`The deploy target of ${application.name}`);
    const provider = fromSql(DEPLOY_PROVIDER_KINDS, row.provider, "deploy provider kind");
    const report = await reach({ ...row, provider }, CONNECTION_TEST_MS);
    const result: ConnectionTestResult = {
      application: application.key,
      provider,
      ok: report.ok,
      message: report.ok ? report.message : report.reason,
    };
    await transaction(ctx, (tx) =>
      audit(tx, actor, {
        action: "deploy_target.test",
        entityType: "DeployTarget",
        entityId: row.id,
        environmentId: environment.id,
        after: { ...result, providerLabel: PROVIDERS[provider].label },
      }),
    );
    return result;
  },
});
