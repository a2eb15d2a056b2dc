import { afterAll, inject } from "vitest";
import { closeDb } from "../db";
import { stopWorkerBoss } from "../jobs/boss";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_POOL_MAX = String(inject("databasePoolMax"));

afterAll(async () => {
  // a promote in a test starts the process's job queue; stop it before its pool closes
  await stopWorkerBoss();
  await closeDb();
});
