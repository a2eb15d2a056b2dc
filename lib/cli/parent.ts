import fs from "node:fs";

/**
 * Calls `then` once the process that started this one is gone (its terminal's shell, `npm`, the
 * launcher, a supervisor, killed outright): this one then belongs to init, and its parent id
 * changes (Linux: read from /proc; elsewhere, the old parent no longer answers signal 0). Checked
 * every second; the timer does not keep the process alive.
 */
export function onParentGone(then: () => void): void {
  const parent = process.ppid;
  const gone = () => {
    try {
      const stat = fs.readFileSync("/proc/self/stat", "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== parent;
    } catch {
      try {
        process.kill(parent, 0);
        return false;
      } catch (e) {
        return (e as NodeJS.ErrnoException).code === "ESRCH";
      }
    }
  };
  const timer = setInterval(() => {
    if (!gone()) return;
    clearInterval(timer);
    then();
  }, 1_000);
  timer.unref();
}
