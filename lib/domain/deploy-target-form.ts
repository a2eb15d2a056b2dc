// The deploy target form's text fields, turned into the settings a provider validates and back.
// People type lists as lines (arguments one per line, NAME=value pairs, "Header: value"); the
// provider's schema (lib/deploy) wants arrays and records. Only the shape is translated here: a
// line that is not a pair is a field message, every value is checked again by the provider.
// Pure, so the server action and the form share it.

import type { DeployProviderKind } from "./deploy-providers";

export interface TargetFormValues {
  provider: string;
  command: string;
  /** one argument per line */
  args: string;
  cwd: string;
  /** NAME=value, one per line */
  env: string;
  /** the target can tell which version runs */
  versionEnabled: boolean;
  versionCommand: string;
  versionArgs: string;
  url: string;
  /** Name: value, one per line */
  headers: string;
  owner: string;
  repo: string;
  workflow: string;
  ref: string;
  /** name=value, one per line */
  inputs: string;
  baseUrl: string;
  pollSeconds: string;
  secretEnvVar: string;
  timeoutSeconds: string;
}

export const EMPTY_TARGET_FORM: TargetFormValues = {
  provider: "",
  command: "",
  args: "",
  cwd: "",
  env: "",
  versionEnabled: false,
  versionCommand: "",
  versionArgs: "",
  url: "",
  headers: "",
  owner: "",
  repo: "",
  workflow: "",
  ref: "main",
  inputs: "",
  baseUrl: "",
  pollSeconds: "",
  secretEnvVar: "",
  timeoutSeconds: "600",
};

/** Where each form field's messages come from: the provider's field keys, prefixed "config.". */
export const TARGET_FIELD_ERRORS: Record<Exclude<keyof TargetFormValues, "versionEnabled">, string> = {
  provider: "provider",
  command: "config.command",
  args: "config.args",
  cwd: "config.cwd",
  env: "config.env",
  versionCommand: "config.version.command",
  versionArgs: "config.version.args",
  url: "config.url",
  headers: "config.headers",
  owner: "config.owner",
  repo: "config.repo",
  workflow: "config.workflow",
  ref: "config.ref",
  inputs: "config.inputs",
  baseUrl: "config.baseUrl",
  pollSeconds: "config.pollSeconds",
  secretEnvVar: "secretEnvVar",
  timeoutSeconds: "timeoutSeconds",
};

export interface TargetSubmission {
  provider: string;
  config: Record<string, unknown>;
  secretEnvVar: string | null;
  timeoutSeconds: number | string;
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");

/** A whole number as typed, or the text itself for the provider to refuse with its message. */
function number(text: string): number | string {
  const t = text.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : t;
}

function pairs(
  text: string,
  separator: "=" | ":",
  example: string,
  field: string,
  errors: Record<string, string[]>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    const at = line.indexOf(separator);
    const name = at > 0 ? line.slice(0, at).trim() : "";
    if (!name) {
      (errors[field] ??= []).push(`Line ${i + 1}: write ${example}`);
      continue;
    }
    if (Object.hasOwn(out, name)) {
      (errors[field] ??= []).push(`Line ${i + 1}: ${name} is already set above`);
      continue;
    }
    out[name] = line.slice(at + 1).trim();
  }
  return out;
}

/** The form as a target to validate, or the lines that are not pairs, keyed like the provider's errors. */
export function formToTarget(
  values: TargetFormValues,
): { ok: true; target: TargetSubmission } | { ok: false; fieldErrors: Record<string, string[]> } {
  const errors: Record<string, string[]> = {};
  const config: Record<string, unknown> = {};
  const optional = (key: string, text: string) => {
    if (text.trim() !== "") config[key] = text.trim();
  };
  switch (values.provider) {
    case "command": {
      config.command = values.command.trim();
      config.args = lines(values.args);
      optional("cwd", values.cwd);
      const env = pairs(values.env, "=", "NAME=value", "config.env", errors);
      if (Object.keys(env).length) config.env = env;
      if (values.versionEnabled) {
        const version: Record<string, unknown> = { args: lines(values.versionArgs) };
        if (values.versionCommand.trim() !== "") version.command = values.versionCommand.trim();
        config.version = version;
      }
      break;
    }
    case "webhook": {
      config.url = values.url.trim();
      const headers = pairs(values.headers, ":", "Header-Name: value", "config.headers", errors);
      if (Object.keys(headers).length) config.headers = headers;
      break;
    }
    case "github_actions": {
      config.owner = values.owner.trim();
      config.repo = values.repo.trim();
      config.workflow = values.workflow.trim();
      config.ref = values.ref.trim();
      const inputs = pairs(values.inputs, "=", "name=value", "config.inputs", errors);
      if (Object.keys(inputs).length) config.inputs = inputs;
      optional("baseUrl", values.baseUrl);
      if (values.pollSeconds.trim() !== "") config.pollSeconds = number(values.pollSeconds);
      break;
    }
  }
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };
  return {
    ok: true,
    target: {
      provider: values.provider,
      config,
      secretEnvVar: values.secretEnvVar.trim() === "" ? null : values.secretEnvVar.trim(),
      timeoutSeconds: number(values.timeoutSeconds),
    },
  };
}

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");
const record = (v: unknown): Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const list = (v: unknown) => (Array.isArray(v) ? v.map(str).join("\n") : "");
const pairText = (v: unknown, separator: string) =>
  Object.entries(record(v))
    .map(([k, value]) => `${k}${separator}${str(value)}`)
    .join("\n");

/** A stored target as the form shows it (anything unreadable shows empty, to be fixed). */
export function targetToForm(
  target: { provider: DeployProviderKind; config: unknown; secretEnvVar: string | null; timeoutSeconds: number } | null,
): TargetFormValues {
  if (!target) return EMPTY_TARGET_FORM;
  const c = record(target.config);
  const version = c.version === undefined ? null : record(c.version);
  return {
    ...EMPTY_TARGET_FORM,
    provider: target.provider,
    command: str(c.command),
    args: list(c.args),
    cwd: str(c.cwd),
    env: pairText(c.env, "="),
    versionEnabled: version !== null,
    versionCommand: str(version?.command),
    versionArgs: list(version?.args),
    url: str(c.url),
    headers: pairText(c.headers, ": "),
    owner: str(c.owner),
    repo: str(c.repo),
    workflow: str(c.workflow),
    ref: target.provider === "github_actions" ? str(c.ref) : EMPTY_TARGET_FORM.ref,
    inputs: pairText(c.inputs, "="),
    baseUrl: str(c.baseUrl),
    pollSeconds: str(c.pollSeconds),
    secretEnvVar: target.secretEnvVar ?? "",
    timeoutSeconds: String(target.timeoutSeconds),
  };
}

/** The non-secret settings in a few words, for the targets list. */
export function targetSummary(provider: DeployProviderKind, config: unknown): string[] {
  const c = record(config);
  switch (provider) {
    case "command": {
      const argv = [str(c.command), ...(Array.isArray(c.args) ? c.args.map(str) : [])].filter(Boolean);
      const env = Object.keys(record(c.env));
      return [
        `Runs ${argv.join(" ") || "(no command)"}`,
        ...(c.cwd ? [`in ${str(c.cwd)}`] : []),
        ...(env.length ? [`with ${env.join(", ")}`] : []),
        ...(c.version !== undefined ? ["reports its version"] : []),
      ];
    }
    case "webhook": {
      const headers = Object.keys(record(c.headers));
      return [`Posts to ${str(c.url) || "(no URL)"}`, ...(headers.length ? [`with ${headers.join(", ")}`] : [])];
    }
    case "github_actions": {
      const inputs = Object.keys(record(c.inputs));
      const base = str(c.baseUrl);
      return [
        `Dispatches ${str(c.workflow) || "(no workflow)"} in ${str(c.owner)}/${str(c.repo)} on ${str(c.ref)}`,
        ...(base && base !== "https://api.github.com" ? [`via ${base}`] : []),
        ...(inputs.length ? [`inputs ${inputs.join(", ")}`] : []),
      ];
    }
  }
}
