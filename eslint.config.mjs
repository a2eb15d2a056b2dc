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
    files: [
      "lib/data/**",
      "lib/db.ts",
      "lib/queue/**",
      "lib/presets/**",
      "lib/migrate/**",
      "lib/jobs/**",
      "lib/cli/**",
      "lib/test/**",
      "**/*.test.ts",
    ],
    rules: { "no-restricted-imports": "off" },
  },
  // The layers (docs/architecture.md): app → lib/http, lib/session → lib/data → lib/queue, lib/domain.
  // lib/jobs is an entry point beside app. These rules keep each layer to what it may know.
  {
    files: ["lib/domain/**"],
    ignores: ["lib/domain/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(?!\\./)",
              message: "lib/domain is pure: it imports nothing outside itself (no database, framework or packages).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/data/**"],
    ignores: ["lib/data/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(next|next-auth|next/.*|@auth/.*)$",
              message:
                "lib/data is free of Next.js and Auth.js so plain Node servers can call it; sessions live in lib/session.ts.",
            },
            {
              regex: "(^@/lib/(session|http|jobs|serve|auth)(/|$))|(^(\\.\\./)+(session|http|jobs|serve|auth)(/|$))",
              message: "lib/data sits below lib/session, lib/http, lib/jobs and lib/serve: it must not import them.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/queue/**"],
    ignores: ["lib/queue/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "(^@/lib/(data|jobs|session|http)(/|$))|(^(\\.\\./)+(data|jobs|session|http)(/|$))",
              message: "lib/queue sits below lib/data: it only sends jobs, with the caller's transaction.",
            },
          ],
        },
      ],
    },
  },
  // lib/serve, the flag evaluation service, is an entry point beside app with no Next in it: it
  // answers from lib/data's snapshot and never queries per request
  {
    files: ["lib/serve/**"],
    ignores: ["lib/serve/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(next|next/.*|next-auth|@auth/.*|@prisma/.*)$",
              message: "lib/serve runs without Next.js and reads the database only through lib/data.",
            },
            {
              regex:
                "(^@/lib/(db|generated|session|http|jobs)(/|$))|(^(\\.\\./)+(db|generated|session|http|jobs)(/|$))",
              message:
                "lib/serve reads through lib/data (lib/data/flags/snapshot.ts), not the client or the app's layers.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/deploy/**"],
    ignores: ["lib/deploy/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex:
                "(^@/lib/(data|db|jobs|queue|generated)(/|$))|(^(\\.\\./)+(data|db|jobs|queue|generated)(/|$))|^(pg|@prisma/.*)$",
              message:
                "Deploy providers know nothing about the database: the deploy job hands them a context and records what they return.",
            },
          ],
        },
      ],
    },
  },
  // lib/notify sends notifications (SMTP, webhooks) and, like the deploy providers, knows nothing
  // about the database: lib/data/notifications claims, hands it a message and records the outcome
  {
    files: ["lib/notify/**"],
    ignores: ["lib/notify/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex:
                "(^@/lib/(data|db|jobs|queue|generated)(/|$))|(^(\\.\\./)+(data|db|jobs|queue|generated)(/|$))|^(pg|@prisma/.*)$",
              message:
                "lib/notify knows nothing about the database: lib/data/notifications hands it a message and records what it returns.",
            },
          ],
        },
      ],
    },
  },
  // Links go through components/ui/link.tsx: pages that refresh themselves must not prefetch
  // every link in view on each refresh (see there).
  {
    files: ["app/**/*.tsx", "components/**/*.tsx"],
    ignores: ["components/ui/link.tsx"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportDeclaration[source.value='next/link']",
          message: 'Import Link from "@/components/ui/link": it prefetches when a person reaches for the link.',
        },
      ],
    },
  },
);
