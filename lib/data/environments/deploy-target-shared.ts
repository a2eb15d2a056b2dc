import "server-only";
import { z } from "zod";
import { DEPLOY_PROVIDER_KINDS, type DeployProviderKind } from "@/lib/domain/deploy-providers";
import type { Tx } from "../audit/record";
import { fromSql } from "../enums";
import { NotFoundError } from "../errors";

// Pieces the deploy target operations share: the application named in the input, the stored
// target, and what of it an audit row keeps (no secret exists here to keep: the target names
// the variable, never its value).

export const applicationKey = z
  .string("Choose an application")
  .trim()
  .min(1, "Choose an application")
  .max(100, "Choose an application");

export interface StoredTarget {
  id: string;
  provider: DeployProviderKind;
  config: unknown;
  secretEnvVar: string | null;
  timeoutSeconds: number;
}

export async function applicationByKey(
  sql: Pick<Tx, "$queryRaw">,
  key: string,
): Promise<{ id: string; key: string; name: string }> {
  const [row] = await sql.$queryRaw<{ id: string; key: string; name: string }[]>`
    select id, key, name from "Application" where key = ${key}`;
  if (!row) throw new NotFoundError(`Application "${key}"`);
  return row;
}

/** The target of an application in an environment, locked for the rest of the transaction. */
export async function lockedTarget(tx: Tx, applicationId: string, environmentId: string): Promise<StoredTarget | null> {
  const [row] = await tx.$queryRaw<(Omit<StoredTarget, "provider"> & { provider: string })[]>`
    select id, provider::text as provider, config, "secretEnvVar", "timeoutSeconds" from "DeployTarget"
    where "applicationId" = ${applicationId}::uuid and "environmentId" = ${environmentId}::uuid for update`;
  return row ? { ...row, provider: fromSql(DEPLOY_PROVIDER_KINDS, row.provider, "deploy provider kind") } : null;
}

export function targetAudit(application: string, target: Omit<StoredTarget, "id">) {
  return {
    application,
    provider: target.provider,
    config: target.config as never,
    secretEnvVar: target.secretEnvVar,
    timeoutSeconds: target.timeoutSeconds,
  };
}

/**
 * validateTarget's field keys as the form names its fields: the provider's own settings under
 * "config." ("config.url", "config.inputs.region"), the target's columns as they are.
 */
export function targetFieldErrors(fieldErrors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const key = ["provider", "secretEnvVar", "timeoutSeconds", "config"].includes(field) ? field : `config.${field}`;
    (out[key] ??= []).push(...messages);
  }
  return out;
}
