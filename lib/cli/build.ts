import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// `npm start` builds only when a source is newer than the last build, so the second start is
// instant and a `git pull` is never served stale.

const ROOT = process.cwd();
const SOURCES = [
  "app",
  "components",
  "lib",
  "public",
  "prisma/schema.prisma",
  "next.config.js",
  "package-lock.json",
  "postcss.config.mjs",
];
const IGNORED = new Set(["generated", "node_modules", "test"]);

function newestSourceTime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const child of fs.readdirSync(entry)) {
    if (IGNORED.has(child) || child.endsWith(".test.ts")) continue;
    newest = Math.max(newest, newestSourceTime(path.join(entry, child)));
  }
  return newest;
}

export function buildIfNeeded(): void {
  const buildId = fs.statSync(path.join(ROOT, ".next/BUILD_ID"), { throwIfNoEntry: false });
  const newest = Math.max(...SOURCES.map((s) => newestSourceTime(path.join(ROOT, s))));
  if (buildId && buildId.mtimeMs >= newest) return;
  console.log(buildId ? "Sources changed since the last build: building…" : "No build yet: building (about a minute)…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error("next build failed (see above)");
}
