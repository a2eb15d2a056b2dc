import {
  ACCESS_LEVELS,
  BUILT_IN_ROLES,
  GLOBAL_PERMISSIONS,
  toDbPermission,
  type AccessLevel,
  type Permission,
} from "../domain/permissions";
import type { Permission as DbPermission } from "../generated/prisma/client";
import { deployMigrations } from "../migrate";
import { createDatabaseOn } from "../test/databases";
import { runMain } from "./run";

// npm run bench:authz — the permission check runs on every request: the session's user, their
// roles and the union of their matrix cells are resolved once per request, in one SQL
// statement (lib/data/actor-load.ts loadUserActor). This times that resolution 1,000 times for a
// user with 1 role and a user with 5 roles across 10 environments on PostgreSQL, checks that
// each resolution is exactly one statement, and compares p95 with the 5 ms target.
// BENCH_DATABASE_URL (default: the local server) names the server; a database is created for
// the run and dropped afterwards.

const ENVIRONMENTS = 10;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1_000);
const WARMUP = 50;
const TARGET_P95_MS = 5;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const LEVELS = Object.keys(ACCESS_LEVELS) as AccessLevel[];

/**
 * 10 environments and the 7 built-in roles, each with a cell in every environment whose
 * level varies by role and environment (all five named levels occur, "No access" as an empty
 * cell); a few roles hold global permissions. Returns the users' ids.
 */
async function seed(): Promise<{ oneRole: string; fiveRoles: string }> {
  const { db } = await import("../db");
  const dbPermissions = (list: readonly Permission[]) => list.map((p) => toDbPermission(p) as DbPermission);
  const environments = await Promise.all(
    Array.from({ length: ENVIRONMENTS }, (_, i) =>
      db().environment.create({
        data: { key: `stage-${i + 1}`, name: `Stage ${i + 1}`, position: i, protected: i === ENVIRONMENTS - 1 },
      }),
    ),
  );
  const roles = [];
  for (const [r, role] of BUILT_IN_ROLES.entries()) {
    const global = r === 0 ? GLOBAL_PERMISSIONS : r % 3 === 0 ? (["audit.view"] as const) : [];
    roles.push(
      await db().role.create({
        data: {
          key: role.key,
          name: role.name,
          builtIn: true,
          globalPermissions: dbPermissions(global),
          permissions: {
            create: environments.map((e, i) => ({
              environmentId: e.id,
              permissions: dbPermissions(ACCESS_LEVELS[LEVELS[(r + i) % LEVELS.length]!].permissions),
            })),
          },
        },
      }),
    );
  }
  const user = (email: string, roleIds: string[]) =>
    db().user.create({
      data: { email, name: email.split("@")[0], roles: { create: roleIds.map((roleId) => ({ roleId })) } },
    });
  const oneRole = await user("one-role@bench.example", [roles[3]!.id]);
  const fiveRoles = await user(
    "five-roles@bench.example",
    roles.slice(0, 5).map((r) => r.id),
  );
  return { oneRole: oneRole.id, fiveRoles: fiveRoles.id };
}

interface Result {
  label: string;
  times: number[];
  statements: Set<number>;
}

async function main() {
  const base = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  const database = await createDatabaseOn(base, "greenlight_bench_authz");
  // before lib/db is first used: the client reads these once
  process.env.DATABASE_URL = database.url;
  process.env.GREENLIGHT_COUNT_QUERIES = "1";
  const { closeDb, queryCount } = await import("../db");
  try {
    await deployMigrations(database.url);
    const users = await seed();
    const { loadUserActor } = await import("../data/actors/load");

    const run = async (label: string, userId: string, roles: number): Promise<Result> => {
      const result: Result = { label, times: [], statements: new Set() };
      for (let i = 0; i < WARMUP + REQUESTS; i++) {
        const before = queryCount();
        const started = performance.now();
        const actor = await loadUserActor(userId);
        const elapsed = performance.now() - started;
        result.statements.add(queryCount() - before);
        if (actor?.roles.length !== roles || actor.byEnvironment.size !== ENVIRONMENTS)
          throw new Error(`${label}: resolved ${actor?.roles.length ?? "no"} roles, expected ${roles}`);
        if (i >= WARMUP) result.times.push(elapsed);
      }
      result.times.sort((a, b) => a - b);
      return result;
    };
    const results = [
      await run("user with 1 role", users.oneRole, 1),
      await run("user with 5 roles", users.fiveRoles, 5),
    ];

    console.log(
      `\nloadUserActor: ${REQUESTS} resolutions per user after ${WARMUP} warm-up, sequential, ${ENVIRONMENTS} environments, PostgreSQL\n`,
    );
    console.log("user                  p50 ms   p95 ms   max ms   SQL statements/resolution");
    let failed = false;
    for (const r of results) {
      const p95 = percentile(r.times, 95);
      const statements = [...r.statements].sort((a, b) => a - b);
      if (p95 >= TARGET_P95_MS || statements.length !== 1 || statements[0] !== 1) failed = true;
      console.log(
        `${r.label.padEnd(20)} ${percentile(r.times, 50).toFixed(2).padStart(7)}  ${p95.toFixed(2).padStart(7)}  ${(r.times.at(-1) ?? 0).toFixed(2).padStart(7)}   ${statements.join(" or ")}`,
      );
    }
    console.log(
      failed
        ? `\nTARGET MISSED (p95 < ${TARGET_P95_MS} ms, exactly 1 statement per resolution)`
        : `\nwithin target (p95 < ${TARGET_P95_MS} ms, exactly 1 statement per resolution)`,
    );
    if (failed) process.exitCode = 1;
  } finally {
    await closeDb();
    await database.drop();
  }
}

runMain(main);
