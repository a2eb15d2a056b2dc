import type { DeployProviderKind } from "../domain/deploy-providers";
import { commandConfigSchema, commandProvider } from "./command/provider";
import type { DeployProvider } from "./provider";

// Which provider runs a deploy target, by its kind. A target's stored configuration is checked
// here, against its provider's own schema, every time it is used: a bad row fails that one
// deploy with a sentence that says what to fix, never the worker. Adding a provider is one
// entry in PROVIDERS and a folder of its own (lib/deploy/<kind>/).

/** A deploy target as the database holds it (lib/data reads it; no database here). */
export interface DeployTargetConfig {
  provider: DeployProviderKind;
  config: unknown;
  /** the NAME of the environment variable holding the provider's secret, never the secret */
  secretEnvVar: string | null;
  timeoutSeconds: number;
}

interface ProviderEntry {
  label: string;
  create(target: DeployTargetConfig): { ok: true; provider: DeployProvider } | { ok: false; problems: string[] };
}

function configObject(config: unknown): Record<string, unknown> {
  return typeof config === "object" && config !== null && !Array.isArray(config)
    ? (config as Record<string, unknown>)
    : {};
}

const command: ProviderEntry = {
  label: "Command",
  create(target) {
    const parsed = commandConfigSchema.safeParse({
      ...configObject(target.config),
      timeoutSeconds: target.timeoutSeconds,
      ...(target.secretEnvVar ? { secretEnvVar: target.secretEnvVar } : {}),
    });
    if (!parsed.success)
      return { ok: false, problems: parsed.error.issues.map((i) => `${i.path.join(".") || "config"}: ${i.message}`) };
    return { ok: true, provider: commandProvider(parsed.data) };
  },
};

/** null: a kind the schema knows that has no provider yet (the webhook and GitHub Actions ones come with rollouts). */
export const PROVIDERS: Record<DeployProviderKind, ProviderEntry | null> = {
  command,
  webhook: null,
  github_actions: null,
};

/**
 * The provider for a target, or a sentence saying why there is none. `where` names the
 * application and environment for that sentence ("storefront in Production").
 */
export function providerFor(target: DeployTargetConfig | null, where: string): DeployProvider | string {
  if (!target) return `No deploy target is configured for ${where}`;
  const entry = PROVIDERS[target.provider];
  if (!entry) return `The ${target.provider} provider is not available yet; configure a command target for ${where}`;
  const made = entry.create(target);
  if (!made.ok) return `The deploy target of ${where} is invalid: ${made.problems.join("; ")}`;
  return made.provider;
}
