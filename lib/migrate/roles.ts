// A least-privilege database role for the app (README, "Database roles"). The owner of the
// schema runs the migrations; the app connects as a role that may read and write the app's
// rows but owns nothing, so it can neither change the schema nor switch off the audit trail's
// trigger (only a table's owner can), and may only SELECT and INSERT audit events.
// `npm run db:roles` applies these statements; the tests apply them to a throwaway role.

/** A role name we quote ourselves: plain lower-case, as PostgreSQL folds unquoted names. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteRole(role: string): string {
  if (!ROLE_NAME.test(role)) throw new Error(`not a plain role name (a-z, 0-9, _): "${role}"`);
  return `"${role}"`;
}

/**
 * The grants, in order, idempotent: run them again after each migration (new tables get the
 * same rights through the default privileges, the audit trail's limits are set again).
 * Run by the owner of the tables (the role that ran the migrations).
 */
export function appRoleGrants(role: string): string[] {
  const r = quoteRole(role);
  return [
    // start from nothing on existing tables, so a second run removes what a first run (or a
    // hand-made grant) gave too much
    `REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${r}`,
    `REVOKE ALL ON ALL TABLES IN SCHEMA pgboss FROM ${r}`,
    `GRANT USAGE ON SCHEMA public, pgboss TO ${r}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
    // the job queue: pg-boss fetches, completes and archives jobs with plain DML
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO ${r}`,
    `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA pgboss TO ${r}`,
    // the audit trail: read and append, nothing else (the trigger refuses the rest anyway)
    `REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "AuditEvent" FROM ${r}`,
    // the migration record: read only (npm start checks that nothing is pending)
    `REVOKE INSERT, UPDATE, DELETE ON "_prisma_migrations" FROM ${r}`,
    // tables the owner creates later (new migrations) get the same everyday rights
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA pgboss GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
  ];
}

interface Client {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Creates the role when missing (LOGIN with `password` when given, else NOLOGIN for a DBA to
 * finish), sets the password of an existing one when given, then applies the grants in one
 * transaction. The password travels as a bind parameter and is quoted by the server (format %L).
 */
export async function setUpAppRole(client: Client, role: string, password?: string): Promise<{ created: boolean }> {
  quoteRole(role);
  const exists = (await client.query("select 1 from pg_roles where rolname = $1", [role])).rows.length > 0;
  await client.query("begin");
  try {
    if (!exists || password) {
      const verb = exists ? "ALTER" : "CREATE";
      const { rows } = await client.query(
        password
          ? `select format('${verb} ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) as sql`
          : `select format('${verb} ROLE %I NOLOGIN', $1::text) as sql`,
        password ? [role, password] : [role],
      );
      await client.query(String(rows[0]?.sql));
    }
    for (const statement of appRoleGrants(role)) await client.query(statement);
    await client.query("commit");
  } catch (e) {
    await client.query("rollback");
    throw e;
  }
  return { created: !exists };
}
