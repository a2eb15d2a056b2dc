import "server-only";
import type { Sql } from "../context";
import { fromSql } from "../enums";
import { httpUrl } from "../pipeline/summaries";
import { CHECK_STATUSES } from "./input";

// A check as the API and the release page show it, read in one statement with who reported it
// and the environment it speaks for.

export interface CheckView {
  id: string;
  releaseId: string;
  version: string;
  name: string;
  status: (typeof CHECK_STATUSES)[number];
  url: string | null;
  summary: string | null;
  /** the environment it speaks for; null: every environment */
  environmentId: string | null;
  environment: { key: string; name: string } | null;
  /** "token ci-main", a person's name, or null when they have since been deleted */
  reportedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

interface Row extends Omit<CheckView, "status" | "environment"> {
  status: string;
  environmentKey: string | null;
  environmentName: string | null;
}

/** The checks of a release (one by name when `name` is given), by name. */
export async function readChecks(sql: Sql, releaseId: string, name?: string): Promise<CheckView[]> {
  const rows = await sql.$queryRaw<Row[]>`
    select c.id, c."releaseId", r.version, c.name, c.status::text as status, c.url, c.summary, c."environmentId",
      e.key as "environmentKey", e.name as "environmentName",
      coalesce(u.name, u.email, 'token ' || t.name) as "reportedBy", c."createdAt", c."updatedAt"
    from "ReleaseCheck" c
    join "Release" r on r.id = c."releaseId"
    left join "Environment" e on e.id = c."environmentId"
    left join "User" u on u.id = c."reportedById"
    left join "ApiToken" t on t.id = c."reportedByTokenId"
    where c."releaseId" = ${releaseId}::uuid and (${name ?? null}::text is null or c.name = ${name ?? null}::text)
    order by c.name`;
  return rows.map(({ environmentKey, environmentName, ...row }) => ({
    ...row,
    // stored as sent; what leaves the data layer as a link is http(s) only
    url: row.url === null ? null : httpUrl(row.url),
    status: fromSql(CHECK_STATUSES, row.status, "check status"),
    environment: environmentKey && environmentName ? { key: environmentKey, name: environmentName } : null,
  }));
}

export async function readCheck(sql: Sql, releaseId: string, name: string): Promise<CheckView | null> {
  const [check] = await readChecks(sql, releaseId, name);
  return check ?? null;
}
