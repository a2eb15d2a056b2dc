import type { z } from "zod";
import { DEPLOY_PROVIDER_KINDS, type DeployProviderKind } from "../domain/deploy-providers";
import { STRATEGY_LABELS, type RolloutStrategy } from "../domain/rollout";
import { commandCapabilities, commandConfigSchema, commandProvider } from "./command/provider";
import { githubActionsConfigSchema } from "./github-actions/config";
import { githubActionsCapabilities, githubActionsProvider } from "./github-actions/provider";
import type { ConnectionReport, DeployProvider, ProviderCapabilities } from "./provider";
import { secretEnvVarProblem } from "./secret";
import { webhookConfigSchema } from "./webhook/config";
import { webhookCapabilities, webhookProvider } from "./webhook/provider";

// Which provider runs a deploy target, by its kind. A target's stored configuration is checked
// here, against its provider's own schema, when it is saved (validateTarget: field messages for
// the settings form) and every time it is used: a bad row fails that one deploy with a sentence
// that says what to fix, never the worker. Adding a provider is one entry in PROVIDERS and a
// folder of its own (lib/deploy/<kind>/).

/** A deploy target as the database holds it (lib/data reads it; no database here). */
export interface DeployTargetConfig {
  provider: DeployProviderKind;
  config: unknown;
  /** the NAME of the environment variable holding the provider's secret, never the secret */
  secretEnvVar: string | null;
  timeoutSeconds: number;
}

type Made = { ok: true; provider: DeployProvider } | { ok: false; problems: string[] };

export interface ProviderEntry {
  label: string;
  capabilities: ProviderCapabilities;
  /** the non-secret settings as saved: strict, with messages people can act on */
  configSchema: z.ZodType<Record<string, unknown>, unknown>;
  /** what the secret environment variable is for; null: this provider takes none */
  secret: { label: string; required: boolean } | null;
  maxTimeoutSeconds: number;
  create(target: DeployTargetConfig): Made;
}

/** Checks a target as `validateTarget` does and, when it holds, builds the provider. */
function entry<C>(
  spec: Omit<ProviderEntry, "create" | "configSchema"> & {
    configSchema: z.ZodType<C, unknown>;
    build: (config: C, secretEnvVar: string | null, timeoutSeconds: number) => DeployProvider;
  },
): ProviderEntry {
  const build = spec.build;
  const rest: Omit<ProviderEntry, "create"> = {
    label: spec.label,
    capabilities: spec.capabilities,
    configSchema: spec.configSchema as z.ZodType<Record<string, unknown>, unknown>,
    secret: spec.secret,
    maxTimeoutSeconds: spec.maxTimeoutSeconds,
  };
  return {
    ...rest,
    create(target) {
      const checked = check(rest, target);
      if (!checked.ok)
        return {
          ok: false,
          problems: Object.entries(checked.fieldErrors).map(([field, messages]) => `${field}: ${messages.join(", ")}`),
        };
      return { ok: true, provider: build(checked.config as C, target.secretEnvVar || null, target.timeoutSeconds) };
    },
  };
}

export const PROVIDERS: Record<DeployProviderKind, ProviderEntry> = {
  command: entry({
    label: "Command",
    capabilities: commandCapabilities,
    configSchema: commandConfigSchema.omit({ timeoutSeconds: true, secretEnvVar: true }),
    secret: { label: "a secret the command receives as GREENLIGHT_SECRET", required: false },
    maxTimeoutSeconds: 3600,
    build: (config, secretEnvVar, timeoutSeconds) =>
      commandProvider({ ...config, timeoutSeconds, ...(secretEnvVar ? { secretEnvVar } : {}) }),
  }),
  webhook: entry({
    label: "Webhook",
    capabilities: webhookCapabilities,
    configSchema: webhookConfigSchema,
    secret: { label: "the signing secret (whsec_…; two separated by a space while rotating)", required: true },
    maxTimeoutSeconds: 3600,
    build: (config, secretEnvVar, timeoutSeconds) =>
      webhookProvider(config, { secretEnvVar: secretEnvVar ?? "", timeoutSeconds }),
  }),
  github_actions: entry({
    label: "GitHub Actions",
    capabilities: githubActionsCapabilities,
    configSchema: githubActionsConfigSchema,
    secret: { label: "a GitHub token with Actions read and write permission on the repository", required: true },
    // GitHub cancels a job after 6 hours
    maxTimeoutSeconds: 6 * 3600,
    build: (config, secretEnvVar, timeoutSeconds) =>
      githubActionsProvider(config, { secretEnvVar: secretEnvVar ?? "", timeoutSeconds }),
  }),
};

export type TargetValidation =
  { ok: true; config: Record<string, unknown> } | { ok: false; fieldErrors: Record<string, string[]> };

/** What the settings form submits for a target (any shape: it is checked here). */
export interface TargetInput {
  provider: unknown;
  config: unknown;
  secretEnvVar: unknown;
  timeoutSeconds: unknown;
}

/**
 * Checks a target before it is saved: the provider exists and can run the environment's
 * strategy, its settings fit the provider's schema, the secret is named by a variable that is
 * not one of Greenlight's own, the timeout is in range. Field errors are keyed by the form's
 * field names (`url`, `inputs.region`, `secretEnvVar`, `timeoutSeconds`, `provider`).
 */
export function validateTarget(
  input: TargetInput,
  strategy: RolloutStrategy,
  providers: Record<string, ProviderEntry> = PROVIDERS,
): TargetValidation {
  const kind = input.provider;
  const found = typeof kind === "string" && Object.hasOwn(providers, kind) ? providers[kind] : undefined;
  if (!found)
    return {
      ok: false,
      fieldErrors: { provider: [`Choose a provider: ${DEPLOY_PROVIDER_KINDS.join(", ")}`] },
    };
  const checked = check(found, input);
  if (!found.capabilities.strategies.includes(strategy)) {
    const message = `The ${found.label.toLowerCase()} provider cannot run ${STRATEGY_LABELS[strategy].toLowerCase()} rollouts: choose another provider or change the environment's strategy`;
    const fieldErrors = checked.ok ? {} : checked.fieldErrors;
    return { ok: false, fieldErrors: { ...fieldErrors, provider: [...(fieldErrors.provider ?? []), message] } };
  }
  return checked;
}

function check(found: Omit<ProviderEntry, "create">, input: Omit<TargetInput, "provider">): TargetValidation {
  const fieldErrors: Record<string, string[]> = {};
  const add = (field: string, message: string) => (fieldErrors[field] ??= []).push(message);

  const config = input.config ?? {};
  const parsed = found.configSchema.safeParse(config);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join(".") || "config";
      if (issue.code === "unrecognized_keys") add(field, `Unknown settings: ${issue.keys.join(", ")}`);
      // a record's key that fails its own check (a header or input name): say what the check said
      else if (issue.code === "invalid_key") add(field, issue.issues[0]?.message ?? issue.message);
      else add(field, issue.message);
    }

  const secret = input.secretEnvVar;
  if (secret === null || secret === undefined || secret === "") {
    if (found.secret?.required) add("secretEnvVar", `Name the environment variable that holds ${found.secret.label}`);
  } else if (typeof secret !== "string") add("secretEnvVar", "Enter an environment variable name");
  else if (!found.secret)
    add("secretEnvVar", `The ${found.label.toLowerCase()} provider takes no secret: leave this empty`);
  else {
    const problem = secretEnvVarProblem(secret);
    if (problem) add("secretEnvVar", problem);
  }

  const timeout = input.timeoutSeconds;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < 1 || timeout > found.maxTimeoutSeconds)
    add("timeoutSeconds", `Enter a whole number of seconds from 1 to ${found.maxTimeoutSeconds}`);

  if (Object.keys(fieldErrors).length > 0 || !parsed.success) return { ok: false, fieldErrors };
  return { ok: true, config: parsed.data };
}

/**
 * The provider for a target, or a sentence saying why there is none. `where` names the
 * application and environment for that sentence ("storefront in Production").
 */
export function providerFor(target: DeployTargetConfig | null, where: string): DeployProvider | string {
  if (!target) return `No deploy target is configured for ${where}`;
  const found: ProviderEntry | undefined = PROVIDERS[target.provider];
  if (!found) return `The deploy target of ${where} names an unknown provider: ${String(target.provider)}`;
  const made = found.create(target);
  if (!made.ok) return `The deploy target of ${where} is invalid: ${made.problems.join("; ")}`;
  return made.provider;
}

/** "Test connection": reaches the target without deploying, or says why it cannot. */
export async function testTargetConnection(target: DeployTargetConfig, signal: AbortSignal): Promise<ConnectionReport> {
  const found: ProviderEntry | undefined = PROVIDERS[target.provider];
  if (!found) return { ok: false, reason: `Unknown provider: ${String(target.provider)}` };
  const made = found.create(target);
  if (!made.ok) return { ok: false, reason: `The settings are invalid: ${made.problems.join("; ")}` };
  if (!found.capabilities.testConnection || !made.provider.testConnection)
    return { ok: false, reason: `The ${found.label.toLowerCase()} provider cannot test its connection` };
  try {
    return await made.provider.testConnection(signal);
  } catch (e) {
    return { ok: false, reason: `The connection test failed: ${(e as Error).message}` };
  }
}
