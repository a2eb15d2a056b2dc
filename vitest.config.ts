import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = {
  "@": path.resolve(import.meta.dirname),
  // lib/data is marked server-only; under test it runs in plain Node
  "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/domain/**/*.test.ts", "lib/*.test.ts", "lib/notify/**/*.test.ts", "components/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: [
            "lib/data/**/*.test.ts",
            "lib/jobs/**/*.test.ts",
            "lib/queue/**/*.test.ts",
            "lib/http/**/*.test.ts",
            "lib/presets/**/*.test.ts",
            "lib/deploy/**/*.test.ts",
            "lib/migrate/**/*.test.ts",
            "lib/cli/**/*.test.ts",
            "lib/serve/**/*.test.ts",
            "app/**/*.test.ts",
          ],
          globalSetup: ["lib/test/global-setup.ts"],
          setupFiles: ["lib/test/setup.ts"],
          // one process and one connection: the embedded test database serves a single client
          pool: "forks",
          maxWorkers: 1,
          isolate: false,
          fileParallelism: false,
          // next-auth imports "next/server" without an extension, which plain Node cannot
          // resolve: let Vite resolve and transform it instead
          server: { deps: { inline: ["next-auth", "@auth/core"] } },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
