import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { hashToken } from "../actors/token";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { NotFoundError } from "../errors";
import { environmentByKey } from "../environments/by-key";
import { environmentKey } from "../input";
import { defineOperation } from "../operation";

// SDK keys: how an application reads one environment's flags from the flag evaluation service
// (lib/serve). Read-only and bound to one environment; a person with environment.manage there
// creates and revokes them. The key is shown once and stored as its sha256, like API tokens. A
// revoked key stops working within a second: the service reloads its snapshot on every change.

export const SDK_KEY_PREFIX = "glsdk_";
const PREFIX_LENGTH = 12;

export interface SdkKeySummary {
  id: string;
  name: string;
  /** the key's first characters, to recognise it in an application's configuration */
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedSdkKey extends SdkKeySummary {
  /** shown once: only its hash is stored */
  key: string;
}

const columns = { id: true, name: true, prefix: true, createdAt: true, revokedAt: true } as const;
type Row = { id: string; name: string; prefix: string; createdAt: Date; revokedAt: Date | null };
const summary = (r: Row): SdkKeySummary => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  createdAt: r.createdAt.toISOString(),
  revokedAt: r.revokedAt?.toISOString() ?? null,
});

export const createSdkKey = defineOperation({
  name: "sdk_key.create",
  permission: "environment.manage",
  input: z.object({
    environmentKey,
    name: z.string().trim().min(1, "Enter a name").max(80, "Use at most 80 characters"),
  }),
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<CreatedSdkKey> =>
    transaction(ctx, async (tx) => {
      const key = `${SDK_KEY_PREFIX}${randomBytes(24).toString("base64url")}`;
      const row = await tx.sdkKey.create({
        data: {
          environmentId: environment.id,
          name: input.name,
          prefix: key.slice(0, PREFIX_LENGTH),
          keyHash: hashToken(key),
          createdById: actor.kind === "user" ? actor.id : null,
        },
        select: columns,
      });
      await audit(tx, actor, {
        action: "sdk_key.create",
        entityType: "SdkKey",
        entityId: row.id,
        environmentId: environment.id,
        after: { name: row.name, prefix: row.prefix },
      });
      return { ...summary(row), key };
    }),
});

export const revokeSdkKey = defineOperation({
  name: "sdk_key.revoke",
  permission: "environment.manage",
  input: z.object({ environmentKey, sdkKeyId: z.uuid("Choose an SDK key") }),
  scope: "environment",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: ({ actor, input, environment, ctx }): Promise<SdkKeySummary> =>
    transaction(ctx, async (tx) => {
      // a key of another environment is as unknown as one that never existed
      const row = await tx.sdkKey.findFirst({
        where: { id: input.sdkKeyId, environmentId: environment.id },
        select: columns,
      });
      if (!row) throw new NotFoundError("SDK key");
      const now = new Date();
      // conditional: of two revocations at once only one records a change
      const { count } = await tx.sdkKey.updateMany({
        where: { id: row.id, revokedAt: null },
        data: { revokedAt: now },
      });
      if (!count) return summary(await tx.sdkKey.findUniqueOrThrow({ where: { id: row.id }, select: columns }));
      await audit(tx, actor, {
        action: "sdk_key.revoke",
        entityType: "SdkKey",
        entityId: row.id,
        environmentId: environment.id,
        before: { name: row.name, prefix: row.prefix, revokedAt: null },
        after: { name: row.name, prefix: row.prefix, revokedAt: now.toISOString() },
      });
      return summary({ ...row, revokedAt: now });
    }),
});

export const listSdkKeys = defineOperation({
  name: "sdk_key.list",
  permission: "environment.manage",
  input: z.object({ environmentKey }),
  scope: "environment",
  hidden: "not_found",
  effect: "read",
  environment: (input, sql) => environmentByKey(sql, input.environmentKey),
  run: async ({ environment, ctx }): Promise<SdkKeySummary[]> => {
    const rows = await transaction(ctx, (tx) =>
      tx.sdkKey.findMany({ where: { environmentId: environment.id }, select: columns, orderBy: { createdAt: "desc" } }),
    );
    return rows.map(summary);
  },
});
