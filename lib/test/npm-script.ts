import fs from "node:fs";
import path from "node:path";

/**
 * The command line of one of package.json's `node …` scripts, as [executable, args], so a test
 * starts a process exactly as `npm run <name>` does (flags included) rather than a copy of it.
 */
export function npmScript(name: string, extraArgs: string[] = []): [string, string[]] {
  const pkg = JSON.parse(fs.readFileSync(path.join(process.cwd(), "package.json"), "utf8")) as {
    scripts: Record<string, string | undefined>;
  };
  const script = pkg.scripts[name];
  if (!script) throw new Error(`package.json has no script "${name}"`);
  const [command, ...args] = script.trim().split(/\s+/);
  if (command !== "node") throw new Error(`script "${name}" does not start with node: ${script}`);
  return [process.execPath, [...args, ...extraArgs]];
}
