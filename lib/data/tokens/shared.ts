import "server-only";
import {
  ENVIRONMENT_PERMISSIONS,
  fromDbPermission,
  GLOBAL_PERMISSIONS,
  type Permission,
} from "@/lib/domain/permissions";
import type { TokenPower } from "@/lib/domain/token-power";
import type { Prisma } from "@/lib/generated/prisma/client";
import { type db } from "../../db";
import type { Tx } from "../audit/record";

// API tokens for machines (CI posting releases, scripts). The token itself is shown once, in
// the result of token.create, and stored only as its sha256 (lib/data/actor.ts looks it up by
// that hash) plus a short prefix to tell tokens apart. A request with a token acts as the token:
// audit rows carry its id. A token never does more than the person who created it (its owner)
// can do now: lib/data/actors/token.ts loads the owner's current rights with the token, and
// the list below says which tokens lost power and why.

export const TOKEN_PERMISSIONS: readonly Permission[] = [
  ...new Set([...ENVIRONMENT_PERMISSIONS, ...GLOBAL_PERMISSIONS]),
];
export const TOKEN_PREFIX = "glt_";
export const PREFIX_LENGTH = 8;

/** "lost_power": unexpired and not revoked, but its owner backs none of its grants now (or is deactivated or deleted) */
export type TokenStatus = "active" | "lost_power" | "expired" | "revoked";

export type { LostGrant, PowerState, TokenPower } from "@/lib/domain/token-power";

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
  /**
   * what its owner still backs, with reasons (lib/domain/token-power.ts); worked out by the
   * list, null in the answers of create (where it is whole by construction) and revoke
   */
  power: TokenPower | null;
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
  ownerId: true,
  owner: { select: { name: true, email: true, active: true } },
  environments: { select: { id: true, key: true, name: true }, orderBy: [{ position: "asc" }, { key: "asc" }] },
} satisfies Prisma.ApiTokenSelect;

export type TokenRow = Prisma.ApiTokenGetPayload<{ select: typeof tokenColumns }>;

export function tokenStatus(
  token: { revokedAt: Date | null; expiresAt: Date | null },
  now: Date,
  power: TokenPower | null = null,
): TokenStatus {
  if (token.revokedAt) return "revoked";
  if (token.expiresAt && token.expiresAt <= now) return "expired";
  return power?.state === "none" ? "lost_power" : "active";
}

export function toTokenSummary(row: TokenRow, now: Date, power: TokenPower | null = null): TokenSummary {
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
    createdBy: row.owner && { name: row.owner.name, email: row.owner.email },
    status: tokenStatus(row, now, power),
    power,
  };
}

export async function readEnvironments(client: Tx | ReturnType<typeof db>): Promise<TokenEnvironment[]> {
  return client.environment.findMany({
    select: { id: true, key: true, name: true },
    orderBy: [{ position: "asc" }, { key: "asc" }],
  });
}
