import "server-only";
import {
  ENVIRONMENT_PERMISSIONS,
  fromDbPermission,
  GLOBAL_PERMISSIONS,
  type Permission,
} from "@/lib/domain/permissions";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type db } from "../../db";
import type { Tx } from "../audit/record";

// API tokens for machines (CI posting releases, scripts). The token itself is shown once, in
// the result of token.create, and stored only as its sha256 (lib/data/actor.ts looks it up by
// that hash) plus a short prefix to tell tokens apart. A request with a token acts as the token:
// audit rows carry its id. A token can never do more than the person who created it.

export const TOKEN_PERMISSIONS: readonly Permission[] = [
  ...new Set([...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS]),
];
export const TOKEN_PREFIX = "glt_";
export const PREFIX_LENGTH = 8;

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

export const tokenColumns = {
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

export type TokenRow = Prisma.ApiTokenGetPayload<{ select: typeof tokenColumns }>;

export function tokenStatus(token: { revokedAt: Date | null; expiresAt: Date | null }, now: Date): TokenStatus {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt <= now) return "expired";
  return "active";
}

export function toTokenSummary(row: TokenRow, now: Date): TokenSummary {
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

export async function readEnvironments(client: Tx | ReturnType<typeof db>): Promise<TokenEnvironment[]> {
  return client.environment.findMany({
    select: { id: true, key: true, name: true },
    orderBy: [{ position: "asc" }, { key: "asc" }],
  });
}
