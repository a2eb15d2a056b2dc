import { db } from "../db";

/** Empties every table (keeping the migrations record) so each test starts from nothing. */
export async function resetDatabase(): Promise<void> {
  const tables = await db().$queryRaw<{ name: string }[]>`
    select quote_ident(tablename) as name from pg_tables
    where schemaname = 'public' and tablename <> '_prisma_migrations'`;
  if (tables.length)
    await db().$executeRawUnsafe(`TRUNCATE ${tables.map((t) => t.name).join(", ")} RESTART IDENTITY CASCADE`);
}
