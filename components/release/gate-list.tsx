import { CHECK_STATUS_WORDS } from "@/lib/domain/checks";
import { GATE_LABELS, readinessLabel, type Gate, type RequiredCheck } from "@/lib/domain/gates";
import { StatusIcon } from "@/components/ui/status-icon";

// The gates exactly as lib/domain evaluated them (the promote action evaluates the same list
// again), each with an icon, a word and its sentence, so none of it rests on colour alone. The
// required checks gate also lists each check with its status and a link to its run.

export function GateList({ gates, environmentName }: { gates: readonly Gate[]; environmentName: string }) {
  const passed = gates.every((g) => g.passed);
  const summaryId = `gates-${environmentName.replace(/\W+/g, "-").toLowerCase()}-summary`;
  return (
    <div>
      <p
        id={summaryId}
        className={`flex items-center gap-2 text-sm font-semibold ${passed ? "text-green-800" : "text-slate-900"}`}
      >
        <StatusIcon name={passed ? "check" : "clock"} className="size-4 shrink-0" />
        {readinessLabel(gates)}
      </p>
      <ul aria-label={`Gates for ${environmentName}`} aria-describedby={summaryId} className="mt-3 space-y-2">
        {gates.map((gate) => (
          <li key={gate.key} className="flex items-start gap-2.5 text-sm">
            <span
              className={`mt-0.5 inline-flex w-20 shrink-0 items-center gap-1 text-xs font-semibold uppercase tracking-wide ${
                gate.passed ? "text-green-700" : "text-red-700"
              }`}
            >
              <StatusIcon name={gate.passed ? "check" : "cross"} className="size-4 shrink-0" />
              {gate.passed ? "Passed" : "Failed"}
            </span>
            <span className="min-w-0">
              <span className="font-medium text-slate-900">{GATE_LABELS[gate.key]}</span>
              <span className="sr-only">: </span>
              <span className="block text-slate-600">{gate.detail}</span>
              {gate.checks?.length ? <RequiredChecks checks={gate.checks} gate={GATE_LABELS[gate.key]} /> : null}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

const CHECK_ICON = { success: "check", failure: "cross", pending: "clock", missing: "clock" } as const;

function RequiredChecks({ checks, gate }: { checks: readonly RequiredCheck[]; gate: string }) {
  return (
    <ul aria-label={gate} className="mt-1 space-y-0.5">
      {checks.map((check) => (
        <li key={check.name} className="flex items-center gap-1.5 text-slate-700">
          <StatusIcon
            name={CHECK_ICON[check.status]}
            className={`size-3.5 shrink-0 ${check.status === "success" ? "text-green-700" : check.status === "failure" ? "text-red-700" : "text-slate-500"}`}
          />
          <span className="font-mono text-xs">{check.name}</span>
          <span className="text-xs">{CHECK_STATUS_WORDS[check.status]}</span>
          {check.url ? (
            <a href={check.url} rel="noreferrer" className="text-xs font-medium text-brand-700 hover:underline">
              View run<span className="sr-only"> of {check.name}</span>
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
