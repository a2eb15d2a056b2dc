import PgBoss from "pg-boss";
import { QUEUES, type JobData } from "./queues";

// Jobs are sent with the caller's transaction, so they commit or roll back with the rows that
// need them: a committed deployment always has its deploy job, a rolled-back one never has one.
// The sender is a pg-boss instance that is never started and owns no connection: every send
// passes the transaction's executor (pg-boss's `db` send option).

/** What a Prisma transaction client offers (lib/data's Tx); lib/queue knows no more of it. */
export interface RawExecutor {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

const NO_CONNECTION: PgBoss.Db = {
  executeSql: () => Promise.reject(new Error("lib/queue sends only inside a transaction: pass its executor")),
};

type Globals = { __greenlightSender?: PgBoss };
const globals = globalThis as Globals;

function sender(): PgBoss {
  return (globals.__greenlightSender ??= new PgBoss({ db: NO_CONNECTION, supervise: false, schedule: false }));
}

/** pg-boss hands objects for jsonb and undefined for "not given"; Prisma wants text and null. */
function parameter(value: unknown): unknown {
  if (value === undefined) return null;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) return JSON.stringify(value);
  return value;
}

export function executorOf(tx: RawExecutor): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await tx.$queryRawUnsafe<unknown[]>(text, ...values.map(parameter)),
    }),
  };
}

export interface SendOptions {
  /** at most one waiting and one running job per key (the queue's policy) */
  singletonKey?: string;
  /** run no earlier than this */
  startAfter?: Date;
  /** higher first among the jobs waiting in the queue */
  priority?: number;
}

/**
 * Sends a job inside `tx`. Returns the job id, or null when a job with the same singleton key is
 * already waiting (nothing to add).
 */
export async function sendInTransaction<Q extends keyof JobData>(
  tx: RawExecutor,
  queue: Q,
  data: JobData[Q],
  options: SendOptions = {},
): Promise<string | null> {
  return sender().send(QUEUES[queue].name, data, {
    db: executorOf(tx),
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(options.priority ? { priority: options.priority } : {}),
  });
}

/**
 * Sends many jobs of one queue inside `tx` in ONE statement (a fan-out of hundreds of
 * deliveries must not cost hundreds of round trips).
 */
export async function sendManyInTransaction<Q extends keyof JobData>(
  tx: RawExecutor,
  queue: Q,
  jobs: readonly { data: JobData[Q]; startAfter?: Date }[],
): Promise<void> {
  if (jobs.length === 0) return;
  await sender().insert(
    jobs.map((job) => ({
      name: QUEUES[queue].name,
      data: job.data,
      ...(job.startAfter ? { startAfter: job.startAfter } : {}),
    })),
    { db: executorOf(tx) },
  );
}
