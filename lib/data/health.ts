import "server-only";
import { db } from "../db";

export interface DatabaseHealth {
  status: "up" | "down";
  latencyMs: number;
  error?: string;
}

const TIMEOUT_MS = 3_000;

/** One round trip to the database, bounded in time so a dead server cannot hang the probe. */
export async function checkDatabase(): Promise<DatabaseHealth> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      db().$queryRaw`select 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: "up", latencyMs: Math.round(performance.now() - started) };
  } catch (e) {
    // the reason is operational (refused, timeout), never data: safe to report to a probe
    const reason = e instanceof Error ? e.message.split("\n").at(-1)?.trim() || e.name : "unknown error";
    return { status: "down", latencyMs: Math.round(performance.now() - started), error: reason };
  } finally {
    clearTimeout(timer);
  }
}
