import { afterAll, inject } from "vitest";
import { closeDb } from "../db";

process.env.DATABASE_URL = inject("databaseUrl");
process.env.DATABASE_POOL_MAX = String(inject("databasePoolMax"));

afterAll(async () => {
  await closeDb();
});
