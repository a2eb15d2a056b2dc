import { z } from "zod";
import { httpUrl } from "../webhook/config";

// What a GitHub Actions target stores. The token is never here: the target names the
// environment variable that holds it.

/** The inputs Greenlight sets on every dispatch; the workflow declares them (docs/deploy-providers.md). */
export const GREENLIGHT_INPUTS = [
  "greenlight_deployment_id",
  "version",
  "environment",
  "action",
  "traffic_percent",
  "color",
  "step",
] as const;
/** GitHub accepts at most 25 inputs per dispatch; Greenlight's own take the rest */
const MAX_OWN_INPUTS = 25 - GREENLIGHT_INPUTS.length;
const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const noNul = (s: string) => !s.includes("\0");

export const githubActionsConfigSchema = z.strictObject({
  owner: z
    .string({ error: "Enter the repository's owner (user or organisation)" })
    .trim()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, "Enter the owner as in the repository's URL, e.g. acme"),
  repo: z
    .string({ error: "Enter the repository's name" })
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, "Enter the repository's name as in its URL, e.g. storefront")
    .refine((r) => r !== "." && r !== "..", "Enter the repository's name as in its URL, e.g. storefront"),
  workflow: z
    .union([z.string(), z.number().int().positive()], {
      error: "Enter the workflow's file name (deploy.yml) or its numeric id",
    })
    .transform((w) => String(w).trim())
    .refine(
      (w) => /^\d{1,20}$/.test(w) || /^[A-Za-z0-9._-]{1,200}\.ya?ml$/.test(w),
      "Enter the workflow's file name in .github/workflows (deploy.yml) or its numeric id",
    ),
  ref: z
    .string({ error: "Enter the branch or tag the workflow runs on, e.g. main" })
    .trim()
    .min(1, "Enter the branch or tag the workflow runs on, e.g. main")
    .max(255, "Keep the ref under 255 characters")
    .refine((r) => noNul(r) && !/\s|\.\./.test(r), "Enter a branch or tag name, without spaces or '..'"),
  inputs: z
    .record(
      z
        .string()
        .regex(INPUT_NAME, "Input names are letters, digits, - and _, starting with a letter or _")
        .refine(
          (name) => !(GREENLIGHT_INPUTS as readonly string[]).includes(name.toLowerCase()),
          "Greenlight sets this input itself on every dispatch: remove it",
        ),
      z.string().max(1024, "Keep input values under 1024 characters").refine(noNul, "Contains a NUL byte"),
    )
    .refine(
      (inputs) => Object.keys(inputs).length <= MAX_OWN_INPUTS,
      `At most ${MAX_OWN_INPUTS} inputs: GitHub takes 25 per dispatch and Greenlight sets ${GREENLIGHT_INPUTS.length}`,
    )
    .optional(),
  /** GitHub Enterprise Server: https://github.example.com/api/v3 */
  baseUrl: httpUrl("GitHub API address (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server)")
    .transform((u) => u.replace(/\/+$/, ""))
    .default("https://api.github.com"),
  pollSeconds: z
    .number({ error: "Enter how often to check the run, in seconds" })
    .int("Enter a whole number of seconds")
    .min(2, "Check the run at most every 2 seconds (GitHub's rate limit)")
    .max(300, "Check the run at least every 300 seconds")
    .default(10),
});

export type GithubActionsConfig = z.output<typeof githubActionsConfigSchema>;
export type GithubActionsConfigInput = z.input<typeof githubActionsConfigSchema>;
