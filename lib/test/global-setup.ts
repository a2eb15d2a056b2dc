import type { TestProject } from "vitest/node";
import { deployMigrations } from "../migrate";
import { createTestDatabase } from "./databases";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    databasePoolMax: number;
    embeddedDatabase: boolean;
  }
}

export default async function setup(project: TestProject) {
  const database = await createTestDatabase();
  await deployMigrations(database.url, { lock: !database.embedded });
  project.provide("databaseUrl", database.url);
  project.provide("databasePoolMax", database.embedded ? 1 : 10);
  project.provide("embeddedDatabase", database.embedded);
  console.log(`integration tests on ${database.embedded ? "the embedded database (PGlite)" : "PostgreSQL"}`);
  return () => database.drop();
}
