import "server-only";
import type { Actor } from "@/lib/domain/access";
import { auditActionLabel } from "@/lib/domain/audit-actions";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "../../db";
import { noInput } from "../input";
import { defineOperation } from "../operation";
import { resolve } from "./scope";
import type { AuditFilterOptions } from "./types";

/**
 * The actions seen within the actor's scope (one index probe per distinct action, walking the
 * (action, at) index instead of reading every event) and the environments they may filter by.
 */
async function readFilterOptions(actor: Actor): Promise<AuditFilterOptions> {
  const resolved = await resolve(actor, {}, "audit.list");
  const { scope } = resolved;
  const environments = scope.all
    ? resolved.environments
    : resolved.environments.filter((e) => scope.environmentIds.includes(e.id));
  let actions: string[] = [];
  if (scope.all || scope.environmentIds.length > 0) {
    const inScope = scope.all
      ? Prisma.sql`true`
      : Prisma.sql`"environmentId" in (${Prisma.join(scope.environmentIds.map((id) => Prisma.sql`${id}::uuid`))})`;
    const rows = await db().$queryRaw<{ action: string }[]>`
      with recursive seen(action) as (
        (select action from "AuditEvent" where ${inScope} order by action limit 1)
        union all
        select (select e.action from "AuditEvent" e where e.action > seen.action and ${inScope} order by e.action limit 1)
        from seen where seen.action is not null
      )
      select action from seen where action is not null`;
    actions = rows.map((r) => r.action);
  }
  const prefixes = new Map<string, number>();
  for (const action of actions) {
    const prefix = action.split(".")[0];
    if (prefix && action.includes(".")) prefixes.set(prefix, (prefixes.get(prefix) ?? 0) + 1);
  }
  return {
    actionGroups: [...prefixes]
      .filter(([, n]) => n > 1)
      .map(([prefix]) => ({ value: `${prefix}.`, label: auditActionLabel(`${prefix}.`) })),
    actions: actions
      .map((action) => ({ value: action, label: auditActionLabel(action) }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    environments: environments.map(({ key, name }) => ({ key, name })),
    scope: scope.all ? "all" : "environments",
  };
}

const optionsRead = defineOperation({
  name: "audit.filters",
  scope: "visible",
  effect: "read",
  input: noInput,
  run: ({ actor }) => readFilterOptions(actor),
});

/** The audit page's filter choices within what the actor may read. */
export function auditFilterOptions(actor: Actor): Promise<AuditFilterOptions> {
  return optionsRead(actor, {});
}
