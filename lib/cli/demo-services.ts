import pg from "pg";
import { demoServicesDir, type Restored, startAll, stopAll } from "../deploy/demo/lifecycle";

// The demo's services live as long as the Greenlight that deploys them. `npm start`
// (lib/cli/start.ts) calls startDemoServices once the database is migrated, before the app
// server starts, and stop() once the app server has exited (its deploys finished or cut off),
// before the database closes.
//
// - Only the demo deploy script's services are touched: the folders come from the deploy
//   targets that run lib/deploy/demo/deploy.mjs through the command provider (the demo preset's,
//   or any set up the same way; lib/deploy/demo/lifecycle.ts tells which). No other provider's
//   target is looked at, and without such a target nothing happens.
// - The processes are the script's business (GREENLIGHT_ACTION=start-all and stop-all), as the
//   one launcher owning each folder: a second Greenlight sharing a folder leaves it to the first.
// - What moved is Greenlight's business: a proxy restarted on another port (its own was taken,
//   by another checkout's demo say) has a new URL, so the deployments that said the release runs
//   at the old one (serviceUrl, and previewUrl for a colour) say the new one, and so does an
//   environment whose URL was set to it. The old address is dead or someone else's: health checks
//   and links must not go there.

type Queryable = Pick<pg.Client, "query">;

export interface DemoTarget {
  app: string;
  env: string;
  /** the services folder, absolute */
  dir: string;
}

/** Every application × environment whose deploy target runs the demo deploy script. */
export async function readDemoTargets(db: Queryable): Promise<DemoTarget[]> {
  const { rows } = await db.query<{ app: string; env: string; config: unknown }>(
    `select a.key as app, e.key as env, t.config
     from "DeployTarget" t
     join "Application" a on a.id = t."applicationId"
     join "Environment" e on e.id = t."environmentId"
     where t.provider = 'command'
     order by a.key, e.key`,
  );
  return rows.flatMap(({ app, env, config }) => {
    const dir = demoServicesDir(config);
    return dir ? [{ app, env, dir }] : [];
  });
}

/** Points the URLs Greenlight holds for the old addresses at the new ones; returns the rows changed. */
export async function recordMovedUrls(db: Queryable, restored: readonly Restored[]): Promise<number> {
  let changed = 0;
  for (const r of restored) {
    const moves: [column: "serviceUrl" | "previewUrl", from: string, to: string][] = [];
    if (r.previousUrl && r.previousUrl !== r.url) moves.push(["serviceUrl", r.previousUrl, r.url]);
    for (const c of Object.values(r.colors))
      if (c?.previousUrl && c.previousUrl !== c.url) moves.push(["previewUrl", c.previousUrl, c.url]);
    for (const [column, from, to] of moves) {
      const updated = await db.query(
        `update "Deployment" d set "${column}" = $3
         from "Application" a, "Environment" e
         where d."applicationId" = a.id and d."environmentId" = e.id
           and a.key = $1 and e.key = $2 and d."${column}" = $4`,
        [r.app, r.env, to, from],
      );
      changed += updated.rowCount ?? 0;
    }
    if (r.previousUrl && r.previousUrl !== r.url) {
      const updated = await db.query(`update "Environment" set url = $2 where key = $1 and url = $3`, [
        r.env,
        r.url,
        r.previousUrl,
      ]);
      changed += updated.rowCount ?? 0;
    }
  }
  return changed;
}

export interface DemoServices {
  /** the folders this process owns, stopped by stop() */
  dirs: string[];
  restored: Restored[];
  failed: { app: string; env: string; reason: string }[];
  /**
   * Stops every process the demo started in the folders owned, and in those of demo targets
   * added since (read from `databaseUrl` when given), and waits until they are gone. Returns
   * their pids.
   */
  stop(options?: { databaseUrl?: string }): Promise<number[]>;
}

export interface DemoOptions {
  /** the process whose end stops the demo (lib/deploy/demo/processes.mjs): the launcher */
  ownerPid?: number;
  log?: (line: string) => void;
}

const where = (r: { app: string; env: string }) => `${r.app} in ${r.env}`;

async function withClient<T>(databaseUrl: string, work: (db: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

function byDir(targets: readonly DemoTarget[]): Map<string, { app: string; env: string }[]> {
  const dirs = new Map<string, { app: string; env: string }[]>();
  for (const t of targets) dirs.set(t.dir, [...(dirs.get(t.dir) ?? []), { app: t.app, env: t.env }]);
  return dirs;
}

/**
 * Restarts what the demo's state files say ran when Greenlight last stopped (each proxy on its
 * port, or on a free one recorded in its place; each colour with its version; the split), takes
 * ownership of their folders, and records every URL that moved. One database connection, closed
 * before this returns (the embedded database serves one client at a time).
 */
export async function startDemoServices(
  databaseUrl: string,
  { ownerPid = process.pid, log = console.log }: DemoOptions = {},
): Promise<DemoServices> {
  const dirs: string[] = [];
  const restored: Restored[] = [];
  const failed: DemoServices["failed"] = [];
  await withClient(databaseUrl, async (db) => {
    for (const [dir, pairs] of byDir(await readDemoTargets(db))) {
      const run = await startAll(dir, pairs, ownerPid);
      if (run.ownedBy !== null) {
        log(`Demo services in ${dir} are run by the Greenlight with pid ${run.ownedBy}: left to it.`);
        continue;
      }
      dirs.push(dir);
      restored.push(...run.restored);
      failed.push(...run.failed);
      if (run.error) log(`Demo services in ${dir} could not all be restarted: ${run.error}`);
    }
    const changed = await recordMovedUrls(db, restored);
    if (restored.length)
      log(
        `Demo services: ${restored.length} application × environment(s) running as when Greenlight last stopped` +
          (changed ? ` (${changed} URL(s) updated to new ports)` : "") +
          ".",
      );
    for (const r of restored)
      if (r.previousUrl && r.previousUrl !== r.url) log(`  ${where(r)}: ${r.previousUrl} is taken, now at ${r.url}`);
    for (const f of failed) log(`  ${where(f)} could not be restarted: ${f.reason}`);
  });
  return {
    dirs,
    restored,
    failed,
    stop: ({ databaseUrl: current } = {}) => stopDemoServices(dirs, { databaseUrl: current, ownerPid, log }),
  };
}

/**
 * stop-all on `dirs` (and, with `databaseUrl`, on the folders of every demo target), each left
 * alone when another live Greenlight owns it; waits until every process stopped is gone.
 * Returns their pids.
 */
export async function stopDemoServices(
  dirs: readonly string[],
  { databaseUrl, ownerPid = process.pid, log = console.log }: DemoOptions & { databaseUrl?: string } = {},
): Promise<number[]> {
  const all = new Set(dirs);
  if (databaseUrl)
    try {
      for (const t of await withClient(databaseUrl, readDemoTargets)) all.add(t.dir);
    } catch (e) {
      log(`Demo services: the deploy targets could not be read (${(e as Error).message}); stopping the folders known`);
    }
  const runs = await Promise.all([...all].map(async (dir) => ({ dir, ...(await stopAll(dir, ownerPid)) })));
  const pids = runs.flatMap((r) => r.pids);
  for (const r of runs) if (r.error) log(`Demo services in ${r.dir} did not all stop: ${r.error}`);
  if (pids.length) log(`Demo services: stopped ${pids.length} process(es).`);
  return pids;
}
