import { createMigration, deployMigrations, diffMigrationsToSchema, migrationStatus } from "../migrate";
import pg from "pg";
import { openDatabase, runMain, UsageError } from "./run";

// npm run db:migrate -- --name <name>   create a migration from schema changes (developers)
// npm run db:deploy                     apply pending migrations
// npm run db:status                     applied / pending / tampered migrations
// npm run db:diff                       SQL between the migrations and schema.prisma (drift)

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  const nameAt = rest.indexOf("--name");
  const db = await openDatabase();
  const lock = !db.embedded; // the embedded database has a single owner already
  try {
    switch (command) {
      case "deploy": {
        const applied = await deployMigrations(db.url, { lock });
        console.log(applied.length ? `applied ${applied.length}: ${applied.join(", ")}` : "database is up to date");
        break;
      }
      case "migrate": {
        const name = nameAt >= 0 ? rest[nameAt + 1] : undefined;
        if (!name || !/^[a-z0-9_]+$/.test(name))
          throw new UsageError(
            "db:migrate needs --name <snake_case_name>, e.g. npm run db:migrate -- --name add_flags",
          );
        const created = await createMigration(db.url, name);
        console.log(
          created ? `created and applied prisma/migrations/${created}` : "schema unchanged, no migration created",
        );
        break;
      }
      case "status": {
        const client = new pg.Client({ connectionString: db.url });
        await client.connect();
        const s = await migrationStatus(client).finally(() => client.end());
        console.log(`applied: ${s.applied.length}, pending: ${s.pending.length}`);
        for (const [label, names] of Object.entries({
          pending: s.pending,
          modified: s.modified,
          missing: s.missing,
          failed: s.failed,
        }))
          for (const n of names) console.log(`  ${label}: ${n}`);
        if (s.modified.length || s.missing.length || s.failed.length) process.exitCode = 1;
        break;
      }
      case "diff": {
        const script = await diffMigrationsToSchema(db.url);
        console.log(script || "-- no difference: the migrations build exactly schema.prisma");
        break;
      }
      default:
        throw new UsageError(`unknown command "${command ?? ""}": use migrate, deploy, status or diff`);
    }
  } finally {
    await db.close();
  }
}

runMain(main);
