import pg from "pg";
import { parseEnv } from "../env";
import { appRoleGrants, ROLE_NAME, setUpAppRole } from "../migrate/roles";
import { runMain, UsageError } from "./run";

// npm run db:roles -- --role greenlight_app [--password-env GREENLIGHT_APP_DB_PASSWORD] [--print]
//
// Run with DATABASE_URL naming the OWNER (the role that runs migrations). Creates the app's
// least-privilege role if missing and grants it what the app needs (lib/migrate/roles.ts).
// The password is read from the environment variable you name, never from the command line.
// --print only prints the SQL, for a DBA to run with psql.

async function main() {
  const args = process.argv.slice(2);
  const valueOf = (flag: string) => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const role = valueOf("--role");
  if (!role || !ROLE_NAME.test(role))
    throw new UsageError("db:roles needs --role <name> (a-z, 0-9, _), e.g. npm run db:roles -- --role greenlight_app");
  if (args.includes("--print")) {
    console.log(`-- run as the owner of the tables, in the app's database\n-- CREATE ROLE ${role} LOGIN PASSWORD '…';`);
    for (const statement of appRoleGrants(role)) console.log(`${statement};`);
    return;
  }
  const passwordEnv = valueOf("--password-env");
  const password = passwordEnv ? process.env[passwordEnv] : undefined;
  if (passwordEnv && !password) throw new UsageError(`--password-env ${passwordEnv}: that variable is not set`);
  const url = parseEnv().DATABASE_URL;
  if (!url) throw new UsageError("db:roles needs DATABASE_URL, naming the owner of the tables");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const { created } = await setUpAppRole(client, role, password);
    console.log(
      `${created ? "created" : "updated"} role ${role}${password ? " (LOGIN, password set)" : created ? " (NOLOGIN: give it a password to use it)" : ""}; ` +
        "re-run after each migration",
    );
  } finally {
    await client.end();
  }
}

runMain(main);
