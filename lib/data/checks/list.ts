import "server-only";
import { z } from "zod";
import { can, type Actor } from "@/lib/domain/access";
import { db } from "../../db";
import { NotFoundError } from "../errors";
import { defineOperation } from "../operation";
import { readChecks, type CheckView } from "./view";

// The checks reported on a release (GET /api/v1/releases/{id}/checks): those that speak for
// every environment and those of environments the caller may view. A caller who may view no
// environment at all sees no release (404), as does one asking for a release that does not exist.

export interface CheckListItem extends Omit<CheckView, "environmentId" | "releaseId" | "version" | "id"> {
  id: string;
}

export interface CheckList {
  releaseId: string;
  version: string;
  checks: CheckListItem[];
}

async function readCheckList(actor: Actor, releaseId: string): Promise<CheckList> {
  if (!z.guid().safeParse(releaseId).success) throw new NotFoundError("Release");
  const environments = await db().environment.findMany({ select: { id: true } });
  const visible = new Set(environments.filter((e) => can(actor, "environment.view", e.id)).map((e) => e.id));
  if (visible.size === 0) throw new NotFoundError("Release");
  const release = await db().release.findUnique({ where: { id: releaseId }, select: { id: true, version: true } });
  if (!release) throw new NotFoundError("Release");
  const checks = await readChecks(db(), release.id);
  return {
    releaseId: release.id,
    version: release.version,
    checks: checks
      .filter((c) => c.environmentId === null || visible.has(c.environmentId))
      .map(({ environmentId: _e, releaseId: _r, version: _v, ...check }) => check),
  };
}

const listRead = defineOperation({
  name: "release.check.list",
  scope: "visible",
  effect: "read",
  input: z.object({ releaseId: z.string().max(100) }),
  run: ({ actor, input }) => readCheckList(actor, input.releaseId),
});

/** A release's checks as the caller may see them. Unknown, malformed or hidden release: NotFoundError. */
export function listChecks(actor: Actor, releaseId: string): Promise<CheckList> {
  return listRead(actor, { releaseId });
}
