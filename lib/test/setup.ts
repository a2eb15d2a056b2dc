import { afterAll, inject } from "vitest";
import { closeDb } from "../db";
import { stopQueue } from "../jobs/deploy-queue";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_POOL_MAX = String(inject("databasePoolMax"));

afterAll(async () => {
  // a promote in a test starts the process's job queue; stop it before its pool closes
  await stopQueue();
  await closeDb();
});
