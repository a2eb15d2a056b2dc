import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import {
  ENVIRONMENT_PERMISSIONS,
  GLOBAL_PERMISSIONS,
  fromDbPermission,
  toDbPermission,
  type Permission,
} from "@/lib/domain/permissions";
import type { Permission as DbPermission, Prisma } from "@/lib/generated/prisma/client";
import { type db } from "../../db";
import { hashToken } from "../actors/load";
import { transaction, sqlOf } from "../context";
import { audit, type Tx } from "../audit/record";
import { NotFoundError, ValidationError } from "../errors";
import { defineOperation } from "../operation";

// API tokens for machines (CI posting releases, scripts). The token itself is shown once, in
// the result of token.create, and stored only as its sha256 (lib/data/actor.ts looks it up by
// that hash) plus a short prefix to tell tokens apart. A request with a token acts as the token:
// audit rows carry its id. A token can never do more than the person who created it.

export const TOKEN_PERMISSIONS: readonly Permission[] = [
  ...new Set([...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS]),
];
export const TOKEN_PREFIX = "glt_";
const PREFIX_LENGTH = 8;

export type TokenStatus = "active" | "expired" | "revoked";

export interface TokenEnvironment {
  id: string;
  key: string;
  name: string;
}

export interface TokenSummary {
  id: string;
  name: string;
  /** the token's first characters ("glt_AbCd"), to recognise it in a configuration */
  prefix: string;
  permissions: Permission[];
  /** empty: every environment, including ones added later */
  environments: TokenEnvironment[];
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy: { name: string | null; email: string } | null;
  status: TokenStatus;
}

export interface TokenList {
  asOf: Date;
  tokens: TokenSummary[];
  /** every environment, in pipeline order: what a new token may be limited to */
  environments: TokenEnvironment[];
}

export interface CreatedToken {
  token: TokenSummary;
  /** the secret itself: returned here once and never again */
  plaintext: string;
}

const tokenColumns = {
  id: true,
  name: true,
  prefix: true,
  permissions: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdAt: true,
  owner: { select: { name: true, email: true } },
  environments: { select: { id: true, key: true, name: true }, orderBy: [{ position: "asc" }, { key: "asc" }] },
} satisfies Prisma.ApiTokenSelect;

type TokenRow = Prisma.ApiTokenGetPayload<{ select: typeof tokenColumns }>;

export function tokenStatus(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): TokenStatus {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt <= now) return "expired";
  return "active";
}

function toTokenSummary(row: TokenRow, now: Date): TokenSummary {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions.map(fromDbPermission),
    environments: row.environments,
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
    createdAt: row.createdAt,
    createdBy: row.owner,
    status: tokenStatus(row, now),
  };
}

async function readEnvironments(client: Tx | ReturnType<typeof db>): Promise<TokenEnvironment[]> {
  return client.environment.findMany({
    select: { id: true, key: true, name: true },
    orderBy: [{ position: "asc" }, { key: "asc" }],
  });
}

const listTokensOperation = defineOperation({
  name: "token.list",
  permission: "token.manage",
  input: z.object({}).optional(),
  scope: "global",
  run: async ({ ctx }): Promise<TokenList> => {
    const asOf = new Date();
    const [rows, environments] = await Promise.all([
      sqlOf(ctx).apiToken.findMany({ select: tokenColumns, orderBy: [{ createdAt: "desc" }, { id: "desc" }] }),
      readEnvironments(sqlOf(ctx)),
    ]);
    return { asOf, tokens: rows.map((row) => toTokenSummary(row, asOf)), environments };
  },
});

/** Every token, newest first, with the environments a new one may be limited to. Never a hash. */
export function listTokens(actor: Actor): Promise<TokenList> {
  return listTokensOperation(actor, {});
}

/** A date without a time ("2026-03-31", from a date field) means through the end of that day, UTC. */
function endOfDay(value: unknown): unknown {
  if (value === "" || value === undefined) return null;
  return typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : value;
}

const createInput = z.object({
  name: z.string().trim().min(1, "Enter a name").max(80, "Use at most 80 characters"),
  permissions: z
    .array(z.enum(TOKEN_PERMISSIONS as [Permission, ...Permission[]], "Unknown permission"))
    .min(1, "Choose at least one permission")
    .transform((list) => TOKEN_PERMISSIONS.filter((p) => list.includes(p))),
  environmentKeys: z
    .array(z.string().trim().min(1))
    .max(100)
    .default([])
    .transform((keys) => [...new Set(keys)]),
  expiresAt: z.preprocess(
    endOfDay,
    z.coerce
      .date("Enter a valid date")
      .nullable()
      .refine((d) => d === null || d.getTime() > Date.now(), "Choose a date in the future"),
  ),
});

/**
 * What the token would allow that its creator may not do, as messages. A global permission
 * must be held globally; a per-environment one in every environment of the scope.
 */
function beyondCreator(actor: Actor, permissions: Permission[], scope: TokenEnvironment[]): string[] {
  const problems: string[] = [];
  for (const permission of permissions) {
    if ((GLOBAL_PERMISSIONS as readonly string[]).includes(permission)) {
      if (!can(actor, permission)) problems.push(`You cannot give a token ${permission}: you do not hold it yourself`);
      continue;
    }
    const missing = scope.filter((e) => !can(actor, permission, e.id)).map((e) => e.name);
    if (missing.length)
      problems.push(`You cannot give a token ${permission} in ${missing.join(", ")}: you do not hold it there`);
  }
  return problems;
}

export const createToken = defineOperation({
  name: "token.create",
  permission: "token.manage",
  input: createInput,
  scope: "global",
  run: ({ actor, input, ctx }): Promise<CreatedToken> =>
    transaction(ctx, async (tx) => {
      const all = await readEnvironments(tx);
      const chosen = all.filter((e) => input.environmentKeys.includes(e.key));
      const unknown = input.environmentKeys.filter((k) => !chosen.some((e) => e.key === k));
      if (unknown.length)
        throw new ValidationError("Some fields need attention", {
          environmentKeys: [`Unknown environment: ${unknown.join(", ")}`],
        });
      const problems = beyondCreator(actor, input.permissions, chosen.length ? chosen : all);
      if (problems.length) throw new ValidationError("Some fields need attention", { permissions: problems });

      const plaintext = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
      const row = await tx.apiToken.create({
        data: {
          name: input.name,
          prefix: plaintext.slice(0, PREFIX_LENGTH),
          tokenHash: hashToken(plaintext),
          permissions: input.permissions.map((p) => toDbPermission(p) as DbPermission),
          ownerId: actor.kind === "user" ? actor.id : null,
          expiresAt: input.expiresAt,
          environments: { connect: chosen.map((e) => ({ id: e.id })) },
        },
        select: tokenColumns,
      });
      const token = toTokenSummary(row, new Date());
      await audit(tx, actor, {
        action: "token.create",
        entityType: "ApiToken",
        entityId: token.id,
        after: {
          name: token.name,
          prefix: token.prefix,
          permissions: token.permissions,
          environments: token.environments.map((e) => e.key),
          expiresAt: token.expiresAt?.toISOString() ?? null,
        },
      });
      return { token, plaintext };
    }),
});

export const revokeToken = defineOperation({
  name: "token.revoke",
  permission: "token.manage",
  input: z.object({ tokenId: z.uuid("Choose a token") }),
  scope: "global",
  run: ({ actor, input, ctx }): Promise<TokenSummary> =>
    transaction(ctx, async (tx) => {
      const row = await tx.apiToken.findUnique({ where: { id: input.tokenId }, select: tokenColumns });
      if (!row) throw new NotFoundError("API token");
      const now = new Date();
      // conditional, so that of two revocations at the same moment only one records a change;
      // revoking twice is not an error, and the first revocation's time stands
      const { count } = await tx.apiToken.updateMany({
        where: { id: row.id, revokedAt: null },
        data: { revokedAt: now },
      });
      if (!count) {
        const current = await tx.apiToken.findUniqueOrThrow({ where: { id: row.id }, select: tokenColumns });
        return toTokenSummary(current, now);
      }
      await audit(tx, actor, {
        action: "token.revoke",
        entityType: "ApiToken",
        entityId: row.id,
        before: { name: row.name, prefix: row.prefix, revokedAt: null },
        after: { name: row.name, prefix: row.prefix, revokedAt: now.toISOString() },
      });
      return toTokenSummary({ ...row, revokedAt: now }, now);
    }),
});
