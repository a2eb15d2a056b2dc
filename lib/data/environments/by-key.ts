import "server-only";
import type { Sql } from "../context";
import { NotFoundError } from "../errors";
import type { OperationEnvironment } from "../operation";

/** The environment with `key`, or NotFoundError (404). The one place that says so. */
export async function environmentByKey(sql: Sql, key: string): Promise<OperationEnvironment> {
  // PostgreSQL refuses a NUL byte in text (an error, not "no row"): no environment has one
  if (key.includes("\0")) throw new NotFoundError("Environment");
  const [environment] = await sql.$queryRaw<OperationEnvironment[]>`
    select id, name, json_build_object('required', "requireSecondFactor", 'maxAgeMinutes', "secondFactorMaxAgeMinutes") as "secondFactor"
    from "Environment" where key = ${key}`;
  if (!environment) throw new NotFoundError(`Environment "${key}"`);
  return environment;
}
