import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";
import { fromStatuses, toStatus, type DeploymentEvent } from "@/lib/domain/deployment-state";

// SQL for a move of the deployment state machine (lib/domain/deployment-state.ts): the status it
// sets and a WHERE condition that matches only rows in a status the move may start from. An
// UPDATE built from these changes a row only if the machine allows it, so of two racing moves
// at most one applies and the other updates nothing.

export function moveSql(event: DeploymentEvent): { to: Prisma.Sql; allowed: Prisma.Sql } {
  const to = toStatus(event);
  const from = fromStatuses(event);
  return {
    to: Prisma.sql`${to}::"DeploymentStatus"`,
    allowed: Prisma.sql`status::text = any(${from}::text[])`,
  };
}
