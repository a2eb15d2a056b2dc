import type { FlagStateSummary } from "@/lib/data/environments/read";
import { FlagToggle } from "./toggle";

/** Each feature flag's state in one environment: on (for whom) or off, with a shape for each. */
export function FlagStates({
  flags,
  environmentName,
  environmentKey,
  canToggle,
  approvals = 0,
}: {
  flags: FlagStateSummary[];
  environmentName: string;
  environmentKey: string;
  canToggle: boolean;
  /** approvals a change here needs: the switch then asks why and makes a request */
  approvals?: number;
}) {
  if (flags.length === 0) return <p className="text-sm text-slate-600">No feature flags are defined yet.</p>;
  return (
    <div
      role="region"
      aria-label={`Feature flags in ${environmentName}`}
      tabIndex={0}
      className="relative overflow-x-auto"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Feature flags in {environmentName}</caption>
        <thead className="text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4">
              Flag
            </th>
            <th scope="col" className="py-2 pr-4">
              State
            </th>
            <th scope="col" className="py-2 text-right">
              <span className="sr-only">Change</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {flags.map((flag) => (
            <tr key={flag.key}>
              <th scope="row" className="py-2 pr-4 font-normal">
                <span className="font-medium text-slate-900">{flag.name}</span>
                <span className="block font-mono text-xs text-slate-500">{flag.key}</span>
              </th>
              <td className="py-2 pr-4 whitespace-nowrap">
                {flag.enabled ? (
                  <span className="inline-flex items-center gap-1.5 rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800 ring-1 ring-green-600/25 ring-inset">
                    <span className="size-2 rounded-full bg-green-600" aria-hidden="true" />
                    On{flag.rolloutPercent !== null && flag.rolloutPercent < 100 ? ` for ${flag.rolloutPercent}%` : ""}
                  </span>
                ) : (
                  <span className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-slate-500/20 ring-inset">
                    <span className="size-2 rounded-full border border-slate-500" aria-hidden="true" />
                    Off
                  </span>
                )}
              </td>
              <td className="py-2 text-right">
                <FlagToggle
                  environmentKey={environmentKey}
                  environmentName={environmentName}
                  flagKey={flag.key}
                  flagName={flag.name}
                  enabled={flag.enabled}
                  allowed={canToggle}
                  approvals={approvals}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
