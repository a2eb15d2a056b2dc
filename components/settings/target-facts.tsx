import type { DeployTargetView } from "@/lib/data/environments/settings";

// What the settings page says of a saved deploy target: never its secret, only the variable
// that holds it and whether that variable is set on this server.

export const NO_TARGET = "No deploy target: promotions into this environment fail until one is set.";

/** The non-secret facts of a target, shared with the read-only view. */
export function TargetFacts({ target }: { target: Omit<DeployTargetView, "config"> }) {
  return (
    <dl className="mt-1 grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      <dt className="text-slate-500">Provider</dt>
      <dd className="text-slate-900">{target.providerLabel}</dd>
      <dt className="text-slate-500">Settings</dt>
      <dd className="break-all text-slate-900">{target.summary.join(" · ")}</dd>
      <dt className="text-slate-500">Secret</dt>
      <dd className="text-slate-900">
        {target.secretEnvVar ? (
          <>
            in <code className="font-mono text-xs">{target.secretEnvVar}</code>,{" "}
            {target.secretSet ? (
              <span className="text-green-800">set on this server</span>
            ) : (
              <span className="font-medium text-red-700">not set on this server</span>
            )}
          </>
        ) : (
          "none"
        )}
      </dd>
      <dt className="text-slate-500">Timeout</dt>
      <dd className="text-slate-900">{target.timeoutSeconds} s per step</dd>
      {target.problems.length ? (
        <>
          <dt className="font-medium text-red-700">Would fail</dt>
          <dd className="text-red-700">{target.problems.join(" ")}</dd>
        </>
      ) : null}
    </dl>
  );
}
