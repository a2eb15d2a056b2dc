import pg from "pg";
import PgBoss from "pg-boss";
import { QUEUES } from "./queues";

// pg-boss on the app's own PostgreSQL (server or embedded). It shares the app's connection pool
// instead of opening its own, because the embedded database serves one connection; and it
// never LISTENs, which would hold a second one.

export function createBoss(pool: pg.Pool, options: { supervise?: boolean; schedule?: boolean } = {}): PgBoss {
  const boss = new PgBoss({
    db: {
      executeSql: async (text: string, values?: unknown[]) => pool.query(text, values as unknown[]),
    },
    supervise: options.supervise ?? true,
    schedule: options.schedule ?? true,
  });
  boss.on("error", (e: Error) => console.error(`job queue: ${e.message}`));
  return boss;
}

/** Creates pg-boss's schema (or migrates it) and every queue Greenlight uses. Idempotent. */
export async function installQueues(pool: pg.Pool): Promise<void> {
  const boss = createBoss(pool, { supervise: false, schedule: false });
  await boss.start();
  try {
    for (const queue of Object.values(QUEUES)) await boss.createQueue(queue.name, queue);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** installQueues on the database at `url`, over a connection of its own (migrations, start-up). */
export async function installQueuesAt(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  // a connection closed by the server while idle (its database dropped, say) must not crash the process
  pool.on("error", () => undefined);
  try {
    await installQueues(pool);
  } finally {
    await pool.end();
  }
}
