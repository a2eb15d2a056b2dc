import nextVitals from "eslint-config-next/core-web-vitals";
import tseslint from "typescript-eslint";

const prismaClient = {
  group: ["@prisma/client", "@prisma/client/*", "**/generated/prisma", "**/generated/prisma/*", "@/lib/generated/*"],
  message: "Only lib/data/ and lib/db.ts talk to Prisma: call a lib/data function instead.",
};
const dbModule = {
  group: ["@/lib/db", "**/lib/db", "../db", "./db"],
  message: "UI and routes read and write through lib/data, never the database client directly.",
};

export default tseslint.config(
  {
    ignores: [
      "lib/generated/**",
      ".next/**",
      "node_modules/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
    ],
  },
  ...nextVitals,
  {
    files: ["**/*.ts", "**/*.tsx"],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "no-restricted-imports": ["error", { patterns: [prismaClient, dbModule] }],
    },
  },
  // ─── components: props in, no server values ─────────────────────────────────────────────────
  // A component may name lib/data's types (the DTOs it is handed), never import its values, the
  // database client, auth, or any other module that only runs on the server: data is read in
  // app/ and passed down. Its own rule name, so the layer rules of the block above stay intact.
  {
    files: ["components/**/*.ts", "components/**/*.tsx"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["@/lib/data", "@/lib/data/**", "**/lib/data", "**/lib/data/**"],
              allowTypeImports: true,
              message:
                "Components import only types from lib/data (`import type`): read data in app/ and pass it as props.",
            },
            {
              group: [
                "server-only",
                "@/lib/db",
                "@/lib/auth",
                "@/lib/env",
                "@/lib/embedded",
                "@/lib/password",
                "@/lib/generated/**",
                "@/lib/jobs/**",
                "@/lib/deploy/**",
                "@/lib/migrate/**",
                "@/lib/cli/**",
                "**/lib/db",
                "**/lib/auth",
                "**/lib/env",
              ],
              message: "Server-only module: components receive what they show as props from app/.",
            },
          ],
        },
      ],
    },
  },
  // ─── end components ─────────────────────────────────────────────────────────────────────────
  {
    // the data layer, its tooling and tests may use the client
    files: ["lib/data/**", "lib/db.ts", "lib/migrate/**", "lib/jobs/**", "lib/cli/**", "lib/test/**", "**/*.test.ts"],
    rules: { "no-restricted-imports": "off" },
  },
);
