import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { can, signedInWithin, type Actor } from "@/lib/domain/access";
import { GLOBAL_PERMISSIONS, toDbPermission, type Permission } from "@/lib/domain/permissions";
import type { Permission as DbPermission } from "@/lib/generated/prisma/client";
import { hashToken } from "../actors/token";
import { transaction } from "../context";
import { audit } from "../audit/record";
import { recordDenial } from "../authz";
import { ForbiddenError, StepUpRequired, ValidationError } from "../errors";
import { RECENT_SIGN_IN_MINUTES } from "../identity/reauthenticate";
import { defineOperation } from "../operation";

import {
  PREFIX_LENGTH,
  TOKEN_PERMISSIONS,
  TOKEN_PREFIX,
  readEnvironments,
  toTokenSummary,
  tokenColumns,
  type CreatedToken,
  type TokenEnvironment,
} from "./shared";

// A new token (token.create): shown once, stored as its hash, never more than its creator may do
// (and, on every later request, never more than its owner may do then: lib/domain/access.ts).

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
  run: async ({ actor, input, ctx }): Promise<CreatedToken> => {
    // minting a credential is sensitive: a person, signed in (or password confirmed) recently
    if (actor.kind === "token") {
      const refusal = new ForbiddenError("An API token cannot create tokens: a person must", {
        actor,
        permission: "token.manage",
        environment: null,
        attempted: "token.create",
        reason: "an API token cannot create tokens",
      });
      await recordDenial(refusal);
      throw refusal;
    }
    if (!signedInWithin(actor, RECENT_SIGN_IN_MINUTES))
      throw new StepUpRequired(
        `Confirm your password to create a token: you signed in more than ${RECENT_SIGN_IN_MINUTES} minutes ago`,
        "recent_sign_in",
      );
    return transaction(ctx, async (tx) => {
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
          ownerId: actor.id,
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
    });
  },
});
