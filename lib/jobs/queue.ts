import type pg from "pg";
import PgBoss from "pg-boss";

// The durable job queue: pg-boss on the app's own PostgreSQL (server or embedded). It shares
// the app's connection pool instead of opening its own, because the embedded database serves
// one connection. Consequence: never await a queue call inside an interactive transaction —
// enqueue after commit (or pass the transaction's SQL executor), as with any shared-pool use.

export function createQueue(pool: pg.Pool): PgBoss {
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values?: unknown[]) => pool.query(text, values as unknown[]),
    },
    // no LISTEN/NOTIFY: a listening connection would be a second connection
    supervise: true,
    schedule: true,
  });
  boss.on("error", (e: Error) => console.error(`job queue: ${e.message}`));
  return boss;
}
