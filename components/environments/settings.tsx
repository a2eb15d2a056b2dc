import type { EnvironmentSummary } from "@/lib/data/pipeline";
import { formatDuration, formatMinutes, plural } from "@/components/ui/format";
import { strategyLabel } from "./gates";

// What it takes to deploy here and how the deploy is watched, as a definition list.

export function EnvironmentSettings({ environment: e }: { environment: EnvironmentSummary }) {
  const { healthCheck: h } = e;
  const items: [string, React.ReactNode][] = [
    ["Protection", e.protected ? "Protected: every change needs the gates below" : "Not protected"],
    [
      "Approvals",
      e.requiredApprovals > 0
        ? `${plural(e.requiredApprovals, "approval")} required${e.preventSelfApproval ? "; the author's own does not count" : ""}`
        : "None required",
    ],
    ["Soak time", e.soakMinutes > 0 ? `${formatMinutes(e.soakMinutes)} in the stage before, first` : "None"],
    [
      "Promotion",
      e.autoPromote
        ? e.autoPromoteBranches.length
          ? `Automatic once every gate passes, for releases from ${e.autoPromoteBranches.join(", ")}; others by hand`
          : "Automatic once every gate passes"
        : "By hand",
    ],
    ["Required checks", e.requiredChecks.length ? e.requiredChecks.join(", ") : "None"],
    ["Branches", e.allowedBranches.length ? `Only from ${e.allowedBranches.join(", ")}` : "Any branch"],
    ["Rollout", strategyLabel(e.rolloutStrategy)],
    [
      "Health check",
      h.path ? (
        <>
          <code className="font-mono">{h.path}</code> every {formatDuration(h.intervalSeconds * 1000)}; rolls back after{" "}
          {plural(h.failureThreshold, "failed check")}
          {h.errorRateThresholdPercent !== null ? ` or above ${h.errorRateThresholdPercent}% errors` : ""}
        </>
      ) : (
        "Not configured"
      ),
    ],
  ];
  return (
    <dl className="divide-y divide-slate-100">
      {items.map(([label, value]) => (
        <div key={label} className="grid grid-cols-1 gap-1 py-2.5 text-sm sm:grid-cols-3 sm:gap-4">
          <dt className="font-medium text-slate-600">{label}</dt>
          <dd className="text-slate-900 wrap-anywhere sm:col-span-2">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
