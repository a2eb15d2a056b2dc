import pg from "pg";
import { flagServeVersion, loadFlagSnapshot } from "@/lib/data/flags/snapshot";
import { prepare, type Served, type SnapshotHolder } from "./flags";

// Keeps the flag evaluation service's snapshot current. Every change to what is served bumps
// FlagServeVersion in the writer's transaction (a trigger) and notifies "greenlight_flags" at
// commit. An instance reloads:
//   - at once on that notification, when it can LISTEN (a PostgreSQL server: `listenUrl`);
//   - and, whatever happens to that connection, when a version check (once a second) sees a
//     new version: a missed notification costs at most a second.
// Requests never wait for a reload: they are answered from the snapshot in hand.

export interface SnapshotSource extends SnapshotHolder {
  /** resolves once the snapshot of the version now in the database is in hand */
  refresh(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSnapshotSource(
  options: { checkEveryMs?: number; listenUrl?: string; log?: (message: string) => void } = {},
): Promise<SnapshotSource> {
  const log = options.log ?? ((m: string) => console.error(`flags: ${m}`));
  let served: Served | undefined;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const reload = async () => {
    const version = await flagServeVersion();
    if (served && served.snapshot.version === version) return;
    served = prepare(await loadFlagSnapshot());
  };
  // one reload at a time; a request for one while it runs runs once more after it
  const refresh = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await reload();
        } while (again && !stopped);
      } finally {
        running = null;
      }
    })();
    return running;
  };

  await refresh();
  const timer = setInterval(() => {
    refresh().catch((e: unknown) => log(`version check failed: ${(e as Error).message}`));
  }, options.checkEveryMs ?? 1000);
  timer.unref();

  let listener: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const listen = async () => {
    if (!options.listenUrl || stopped) return;
    const client = new pg.Client({ connectionString: options.listenUrl });
    const lost = (why: string) => {
      if (listener !== client) return;
      listener = null;
      client.removeAllListeners();
      void client.end().catch(() => undefined);
      if (stopped) return;
      log(`change notifications lost (${why}); version checks go on, listening again in 5 s`);
      retry = setTimeout(() => void listen(), 5_000);
      retry.unref();
    };
    listener = client;
    client.on("error", (e) => lost(e.message));
    client.on("end", () => lost("connection closed"));
    client.on("notification", () => {
      refresh().catch((e: unknown) => log(`reload failed: ${(e as Error).message}`));
    });
    try {
      await client.connect();
      await client.query("LISTEN greenlight_flags");
      // a change committed while this connection was not listening
      await refresh();
    } catch (e) {
      lost((e as Error).message);
    }
  };
  await listen();

  return {
    current: () => served,
    refresh,
    async stop() {
      stopped = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners();
        await client.end().catch(() => undefined);
      }
      await running?.catch(() => undefined);
    },
  };
}
