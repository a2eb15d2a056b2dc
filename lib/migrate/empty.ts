// Emptying every table (tests, `db:seed --reset`). The audit trail refuses TRUNCATE through a
// trigger (migration security_hardening); only the owner of the table can switch it off, which
// this does inside one transaction, so the trail is never left unguarded.

interface RawClient {
  $queryRaw<T>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string): PromiseLike<number>;
}

type Client = { $transaction<R>(fn: (tx: RawClient) => Promise<R>): Promise<R> };

export async function emptyAllTables(client: Client): Promise<void> {
  await client.$transaction(async (tx) => {
    const tables = await tx.$queryRaw<{ name: string }[]>`
      select quote_ident(tablename) as name from pg_tables
      where schemaname = 'public' and tablename <> '_prisma_migrations'`;
    if (tables.length)
      await truncate(
        tx,
        tables.map((t) => t.name),
      );
  });
}

/** Tests only: an empty audit trail, other tables kept. */
export async function emptyAuditTrail(client: Client): Promise<void> {
  await client.$transaction((tx) => truncate(tx, ['"AuditEvent"']));
}

async function truncate(tx: RawClient, tables: string[]): Promise<void> {
  await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER audit_event_no_truncate`);
  await tx.$executeRawUnsafe(`TRUNCATE ${tables.join(", ")} RESTART IDENTITY CASCADE`);
  await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER audit_event_no_truncate`);
}
