import Link from "@/components/ui/link";
import { failingGates, GATE_LABELS, type Gate } from "@/lib/domain/gates";

// The gates of a waiting release, small enough for a board cell: one dot per gate (filled when
// it passes, hollow when it does not, so the shape says it without the colour) and how many
// pass; the badge beside it says which ones it waits for (lib/domain readinessLabel). The
// hover title gives each failing gate's sentence; the link opens the release, whose page lists
// every gate in full (touch screens have no hover).

export function gateSentence(gates: readonly Gate[]): string {
  const failing = failingGates(gates);
  if (failing.length === 0) return `All ${gates.length} gates pass`;
  const waitingFor = failing.map((g) => GATE_LABELS[g.key]).join(", ");
  return `${gates.length - failing.length} of ${gates.length} gates pass: waiting for ${waitingFor}`;
}

function gateDetails(gates: readonly Gate[]): string {
  const failing = failingGates(gates);
  if (failing.length === 0) return "Every gate passes: ready to promote";
  return failing.map((g) => `${GATE_LABELS[g.key]}: ${g.detail}`).join("\n");
}

export function BoardGateSummary({ gates, releaseId }: { gates: readonly Gate[]; releaseId: string }) {
  const failing = failingGates(gates);
  const passed = gates.length - failing.length;
  return (
    <Link
      href={`/releases/${releaseId}`}
      title={gateDetails(gates)}
      aria-label={gateSentence(gates)}
      className="group block max-w-full rounded text-xs leading-snug text-slate-600 hover:text-slate-900"
    >
      <span className="flex flex-wrap items-center gap-x-1.5 gap-y-0.5">
        <span className="flex items-center gap-0.5" aria-hidden="true">
          {gates.map((gate) => (
            <span
              key={gate.key}
              className={`size-2 rounded-full ${gate.passed ? "bg-green-600" : "bg-white ring-[1.5px] ring-amber-600 ring-inset"}`}
            />
          ))}
        </span>
        <span className="font-medium text-slate-700 tabular-nums group-hover:underline">
          {failing.length === 0 ? `All ${gates.length} gates pass` : `${passed} of ${gates.length} gates pass`}
        </span>
      </span>
    </Link>
  );
}
