import type { SnapshotEnvironment } from "@/lib/data/flags/snapshot";
import type { Sighting } from "@/lib/data/flags/seen";

// Which flags the service evaluated, kept in memory and written in batches off the request path
// (issue 11: the grid marks flags nobody asks for as stale). A request only adds to a Set: the
// environment whose every flag it evaluated (GET /api/v1/flags, OFREP bulk), or the flag key
// (OFREP single). Every `flushEveryMs` the pending sets are swapped for empty ones and written
// as one statement, stamped with the flush's time (so a time is at most one interval late). A
// failed write is logged and its sightings go into the next flush; nothing here throws into
// the server. stop() writes what is pending (on shutdown).

export interface EvaluationRecorder {
  /** every flag of the environment was evaluated */
  all(environment: SnapshotEnvironment): void;
  /** one flag (that the environment serves) was evaluated */
  one(environment: SnapshotEnvironment, flagKey: string): void;
  /** writes what is pending now; resolves when written (or logged as failed) */
  flush(): Promise<void>;
  /** stops the timer and writes what is pending */
  stop(): Promise<void>;
}

export function startEvaluationRecorder(options: {
  write: (sightings: Sighting[]) => Promise<void>;
  flushEveryMs: number;
  log?: (message: string) => void;
  now?: () => Date;
}): EvaluationRecorder {
  const log = options.log ?? ((m: string) => console.error(`flags: ${m}`));
  const now = options.now ?? (() => new Date());
  let everything = new Set<SnapshotEnvironment>();
  let some = new Map<SnapshotEnvironment, Set<string>>();
  /** sightings of a failed write, by "flagId/environmentId" */
  let carried = new Map<string, Sighting>();
  let running: Promise<void> | null = null;

  const writePending = async () => {
    if (everything.size === 0 && some.size === 0 && carried.size === 0) return;
    const at = now();
    const [all, one] = [everything, some];
    everything = new Set();
    some = new Map();
    const batch = carried;
    carried = new Map();
    const add = (flagId: string | undefined, environmentId: string) => {
      if (flagId) batch.set(`${flagId}/${environmentId}`, { flagId, environmentId, at });
    };
    for (const environment of all) for (const flagId of environment.flagIds.values()) add(flagId, environment.id);
    for (const [environment, keys] of one) for (const key of keys) add(environment.flagIds.get(key), environment.id);
    try {
      await options.write([...batch.values()]);
    } catch (e) {
      log(`recording ${batch.size} flag evaluations failed, retrying at the next flush: ${(e as Error).message}`);
      // newer sightings made during the failed write win
      for (const [key, sighting] of batch) if (!carried.has(key)) carried.set(key, sighting);
    }
  };
  const flush = (): Promise<void> => {
    // one write at a time: a flush asked for during one waits for it, then writes what came since
    const previous = running ?? Promise.resolve();
    const next = previous.then(writePending);
    running = next;
    void next.finally(() => {
      if (running === next) running = null;
    });
    return next;
  };

  const timer = setInterval(() => void flush(), options.flushEveryMs);
  timer.unref();

  return {
    all(environment) {
      everything.add(environment);
    },
    one(environment, flagKey) {
      let keys = some.get(environment);
      if (!keys) some.set(environment, (keys = new Set()));
      keys.add(flagKey);
    },
    flush,
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
