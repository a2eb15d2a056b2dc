import path from "node:path";
import { defineConfig } from "prisma/config";

// Only `prisma generate` uses this file: migrations run through lib/migrate (the schema engine
// compiled to WebAssembly), so no engine binary is ever downloaded. DATABASE_URL may be unset
// while generating, hence the placeholder instead of env("DATABASE_URL"), which would throw.
export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/greenlight" },
});
