import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { hashToken } from "@/lib/session";
import { toDbPermission, type Permission } from "@/lib/domain/permissions";
import type { Permission as DbPermission } from "@/lib/generated/prisma/client";
import { fullAccessActor } from "./actors";

// Tokens that tests write straight into the database need an owner: a token never does more
// than its owner can do now, and one without an owner is refused (lib/data/actors/token.ts).

/** The id of a new person holding every permission in every existing environment and every global one. */
export async function tokenOwnerId(): Promise<string> {
  return (await fullAccessActor()).id;
}

/**
 * A new API token with `permissions` (limited to the environments keyed `environmentKeys`, if
 * any), owned by a person who holds everything; its plaintext, for an Authorization header.
 */
export async function insertToken(
  permissions: Permission[],
  options: { name?: string; environmentKeys?: string[] } = {},
): Promise<string> {
  const plaintext = `glt_${randomBytes(24).toString("base64url")}`;
  await db().apiToken.create({
    data: {
      name: options.name ?? `ci-${plaintext.slice(4, 10)}`,
      prefix: plaintext.slice(0, 8),
      tokenHash: hashToken(plaintext),
      ownerId: await tokenOwnerId(),
      permissions: permissions.map((p) => toDbPermission(p) as DbPermission),
      ...(options.environmentKeys
        ? { environments: { connect: options.environmentKeys.map((key) => ({ key })) } }
        : {}),
    },
  });
  return plaintext;
}
