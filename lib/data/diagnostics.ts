import "server-only";
import { queryCount } from "../db";
import { env } from "../env";

/** The process's SQL statement count, or null unless benchmarking (GREENLIGHT_COUNT_QUERIES=1). */
export function benchmarkQueryCount(): number | null {
  return env().GREENLIGHT_COUNT_QUERIES === "1" ? queryCount() : null;
}
