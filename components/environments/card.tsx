import Link from "@/components/ui/link";
import type { EnvironmentSummary } from "@/lib/data/pipeline";
import { ProtectedMark } from "./name";
import { gateSummary, strategyLabel } from "./gates";

/** One stage on the environments page: name, place in the pipeline, what it takes to get in. */
export function EnvironmentCard({ environment, stage }: { environment: EnvironmentSummary; stage: number }) {
  return (
    <article
      aria-labelledby={`env-${environment.id}`}
      className="h-full rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200"
      style={{ boxShadow: `inset 0 3px 0 ${environment.color}` }}
    >
      <p className="text-xs font-medium text-slate-500">Stage {stage}</p>
      <h2 id={`env-${environment.id}`} className="flex items-center gap-1.5 text-lg font-semibold text-slate-900">
        <Link href={`/environments/${environment.key}`} className="hover:underline">
          {environment.name}
        </Link>
        {environment.protected ? <ProtectedMark /> : null}
      </h2>
      <p className="font-mono text-xs text-slate-500">{environment.key}</p>
      {environment.description ? <p className="mt-2 text-sm text-slate-600">{environment.description}</p> : null}
      <dl className="mt-3 space-y-1 text-sm">
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Gates:</dt>
          <dd className="text-slate-900">{gateSummary(environment)}</dd>
        </div>
        <div className="flex gap-1.5">
          <dt className="text-slate-500">Rollout:</dt>
          <dd className="text-slate-900">{strategyLabel(environment.rolloutStrategy)}</dd>
        </div>
      </dl>
    </article>
  );
}
