// Shared by the demo's scripts (deploy.mjs, proxy.mjs): is a process still there, is it the one
// we think, and who owns a services folder.
//
// The owner of <GREENLIGHT_DATA_DIR>/demo-services/ is the Greenlight launcher (`npm start`,
// lib/cli/start.ts) that restarted its services and will stop them when it stops; it is recorded
// in OWNER_FILE there ({ pid, cmdline }) by `GREENLIGHT_ACTION=start-all`. Every proxy reads that
// file and stops (its services with it) once the owner it saw is gone without a stop: the launcher
// was killed, or its terminal closed.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Not a .json file: scripts that sweep the folder's state files must not take it for one. */
export const OWNER_FILE = "greenlight.owner";

const hasProc = existsSync("/proc/self/stat");

/** The process exists and is not a zombie (a zombie holds no port and does nothing more). */
export function alive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if (e.code !== "EPERM") return false;
  }
  if (!hasProc) return true;
  try {
    // the state is the field after the command, which is in parentheses and may hold anything
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

/** The command line of `pid` (arguments joined by spaces), or null where there is no /proc. */
export function cmdlineOf(pid) {
  if (!hasProc) return null;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return null;
  }
}

/** The owner recorded in `dir`, or null. */
export function readOwner(dir) {
  try {
    const owner = JSON.parse(readFileSync(path.join(dir, OWNER_FILE), "utf8"));
    return Number.isInteger(owner?.pid) ? { pid: owner.pid, cmdline: owner.cmdline ?? null } : null;
  } catch {
    return null;
  }
}

/** The owner still runs: its pid is alive and, where /proc tells, runs the same command (no reuse). */
export function ownerAlive(owner) {
  if (!owner || !alive(owner.pid)) return false;
  if (owner.cmdline === null) return true;
  const now = cmdlineOf(owner.pid);
  return now === null || now === owner.cmdline;
}

export function writeOwner(dir, pid) {
  const file = path.join(dir, OWNER_FILE);
  writeFileSync(
    `${file}.tmp`,
    `${JSON.stringify({ pid, cmdline: cmdlineOf(pid), since: new Date().toISOString() })}\n`,
  );
  renameSync(`${file}.tmp`, file);
}

export function removeOwner(dir) {
  rmSync(path.join(dir, OWNER_FILE), { force: true });
}
