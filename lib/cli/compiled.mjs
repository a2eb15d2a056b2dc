// node --conditions=react-server lib/cli/compiled.mjs <entry.ts> [args…]
// node lib/cli/compiled.mjs --next-server <entry.ts> [args…]
//
// Runs a long-lived TypeScript entry point (the stand-alone deploy worker, the rollout benchmark)
// as one compiled ES module, the way the web server runs its own code: bundled ahead of time, not
// transpiled file by file at import time. tsx on Node 20 transpiles in a loader thread with its own
// V8 heap (~40 MB, for the life of the process) and keeps every module's source map: fine for
// one-shot tools, wasted in a process that runs for weeks.
//
// Bundled every start (esbuild: a fraction of a second), so it is never stale. Packages stay in
// node_modules and resolve as usual. Each file keeps its own import.meta.url / dirname / filename.
// The entry runs in this very process: signals, exit codes and process.argv are its own.
//
// --next-server is for an entry that runs Next.js in its own process (lib/cli/app-server.ts):
// Next needs Node's normal resolution, so that process runs without the react-server condition
// and is bundled without it too. lib/data marks itself `import "server-only"`, which throws
// outside react-server: in this bundle that import is an empty module (what vitest does too),
// while Next's own bundles of the same files keep their check.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import * as esbuild from "esbuild";

const options = process.argv.slice(2);
const nextServer = options[0] === "--next-server";
if (nextServer) options.shift();
const [entry, ...args] = options;
if (!entry) {
  console.error("usage: node --conditions=react-server lib/cli/compiled.mjs [--next-server] <entry.ts> [args…]");
  process.exit(2);
}
const entryPath = path.resolve(entry);
if (!fs.existsSync(entryPath)) {
  console.error(`compiled: ${entry} does not exist`);
  process.exit(2);
}

const IMPORT_META = /\bimport\.meta\.(url|dirname|filename)\b/g;

/** Replaces import.meta's location fields by the source file's own: the bundle lives elsewhere. */
const keepImportMeta = {
  name: "keep-import-meta",
  setup(build) {
    build.onLoad({ filter: /\.(ts|tsx|mts)$/ }, async (file) => {
      if (file.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await fs.promises.readFile(file.path, "utf8");
      const own = {
        url: pathToFileURL(file.path).href,
        dirname: path.dirname(file.path),
        filename: file.path,
      };
      return {
        contents: source.replace(IMPORT_META, (_, field) => JSON.stringify(own[field])),
        loader: file.path.endsWith(".tsx") ? "tsx" : "ts",
      };
    });
  },
};

/** `import "server-only"` as an empty module: for --next-server bundles only. */
const serverOnlyEmpty = {
  name: "server-only-empty",
  setup(build) {
    build.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "server-only-empty" }));
    build.onLoad({ filter: /.*/, namespace: "server-only-empty" }, () => ({ contents: "", loader: "js" }));
  },
};

const outDir = path.resolve("node_modules/.cache/greenlight");
fs.mkdirSync(outDir, { recursive: true });
const name = path
  .relative(process.cwd(), entryPath)
  .replace(/[\\/]/g, "_")
  .replace(/\.[^.]+$/, "")
  .concat(nextServer ? ".next-server" : "");
const outFile = path.join(outDir, `${name}.mjs`);
// several processes may start at once: each writes its own file and renames it into place
const partFile = `${outFile}.${process.pid}.part`;

try {
  await esbuild.build({
    entryPoints: [entryPath],
    outfile: partFile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${process.versions.node.split(".")[0]}`,
    packages: "external",
    conditions: nextServer ? [] : ["react-server"],
    tsconfig: path.resolve("tsconfig.json"),
    keepNames: true,
    logLevel: "warning",
    plugins: nextServer ? [keepImportMeta, serverOnlyEmpty] : [keepImportMeta],
  });
} catch (e) {
  fs.rmSync(partFile, { force: true });
  console.error(`compiled: ${entry} did not build: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
} finally {
  // the build service is a child process: it must not keep this one alive
  await esbuild.stop();
}
fs.renameSync(partFile, outFile);

process.argv = [process.argv[0], entryPath, ...args];
await import(pathToFileURL(outFile).href);
