import type { DeploymentLogView } from "@/lib/data/promotion/view";
import { DeploymentLog } from "@/components/deploy/log";

// The log of a release's latest deploy, folded away unless it failed: then the reason and the
// lines that led to it are what the reader came for.

export function ReleaseLatestLog({ log, now }: { log: DeploymentLogView; now: Date }) {
  return (
    <details
      open={log.status === "failed"}
      className="mb-4 rounded-lg bg-white px-4 py-3 shadow-sm ring-1 ring-slate-200"
    >
      <summary className="cursor-pointer text-sm font-medium text-slate-900">
        Log of the latest deploy ({log.environmentName}, {log.status.replace("_", " ")})
      </summary>
      <div className="mt-3">
        <DeploymentLog log={log} now={now} />
      </div>
    </details>
  );
}
