import { spawn, type ChildProcess } from "node:child_process";
import { npmScript } from "./npm-script";

// Real worker processes for the durable-job tests (`npm run worker`, as operators run it): start
// one, stop it as a process manager would (SIGTERM, then wait for the exit), and poll the
// database until what the worker should have done is there.

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
}

/**
 * Starts `npm run worker`'s own command line (compiled, one process that receives the signals)
 * with this process's environment (its DATABASE_URL) and `env` on top.
 */
export function startWorker(env: Record<string, string> = {}): WorkerProcess {
  const [node, args] = npmScript("worker");
  const child = spawn(node, args, { env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit"] });
  return { child, exited: new Promise((resolve) => child.once("exit", (code) => resolve(code))) };
}

/** SIGTERM, and the exit it leads to. */
export async function stopWorker(worker: WorkerProcess): Promise<number | null> {
  worker.child.kill("SIGTERM");
  return worker.exited;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `ok` holds or `ms` has passed, and returns the last value read: the caller's
 * assertion then says what was there instead. A read that throws counts as "not yet" until the
 * deadline, then its error is thrown: on the embedded database the test process shares one
 * server with the workers it started, and a poll may meet a refused statement while they work.
 */
export async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000, every = 200): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      const value = await read();
      if (ok(value) || Date.now() > deadline) return value;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(every);
  }
}
