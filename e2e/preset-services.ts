import fs from "node:fs";
import path from "node:path";

// The small HTTP services lib/deploy/demo/deploy.mjs leaves running, one per application ×
// environment, each recorded in <dir>/<app>--<env>.json with its pid. The journeys stop the
// ones they started, so a later run (or another checkout on this machine) finds the ports free.

function isService(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // the pid may have been reused since the file was written: only a demo service is ours
  try {
    // the proxy (proxy.mjs) is what a state file records; its services stop with it
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return cmdline.includes("service.mjs") || cmdline.includes("proxy.mjs");
  } catch {
    return !fs.existsSync("/proc/self/cmdline");
  }
}

/** The pids of the services recorded in `dir` that still run. */
export function runningServices(dir: string): number[] {
  if (!fs.existsSync(dir)) return [];
  const pids: number[] = [];
  for (const name of fs.readdirSync(dir)) {
    if (!name.endsWith(".json")) continue;
    try {
      const { pid } = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as { pid?: unknown };
      if (typeof pid === "number" && Number.isInteger(pid) && isService(pid)) pids.push(pid);
    } catch {
      // a file being rewritten by a deploy right now: that deploy's service is checked next time
    }
  }
  return pids;
}

/** Stops the services recorded in `dir`, except those in `keep` (running before we started). */
export function stopServices(dir: string, keep: ReadonlySet<number> = new Set()): number[] {
  const stopped: number[] = [];
  for (const pid of runningServices(dir)) {
    if (keep.has(pid)) continue;
    try {
      process.kill(pid, "SIGTERM");
      stopped.push(pid);
    } catch {
      // it ended on its own meanwhile
    }
  }
  return stopped;
}

/** Stops them and waits until their ports are free again (a service closes within a second). */
export async function stopServicesAndWait(dir: string, timeoutMs = 10_000): Promise<void> {
  const pids = stopServices(dir);
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isService)) {
    if (Date.now() > deadline) throw new Error(`demo services ${pids.filter(isService).join(", ")} did not stop`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
