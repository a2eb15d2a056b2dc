import type { FlagStateText } from "@/lib/data/flags/detail";

/** A flag's state in words, with a shape for on and off: "On for 20%", "Off". */
export function FlagStateBadge({ state }: { state: FlagStateText }) {
  if (!state.enabled)
    return (
      <span className="inline-flex items-center gap-1.5 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-slate-500/20 ring-inset">
        <span className="size-2 rounded-full border border-slate-500" aria-hidden="true" />
        Off
      </span>
    );
  return (
    <span className="inline-flex items-center gap-1.5 rounded-full bg-green-50 px-2 py-0.5 text-xs font-medium text-green-800 ring-1 ring-green-600/25 ring-inset">
      <span className="size-2 rounded-full bg-green-600" aria-hidden="true" />
      On{state.rolloutPercent !== null && state.rolloutPercent < 100 ? ` for ${state.rolloutPercent}%` : ""}
    </span>
  );
}

/** Who gets it besides the share: the targeting rules one a line, or a dash. */
export function FlagRules({ rules }: { rules: string }) {
  if (!rules) return <span className="text-slate-400">No rules</span>;
  return <pre className="font-mono text-xs whitespace-pre-wrap text-slate-700">{rules}</pre>;
}

/** The whole state in one line for tables of proposals: "on for 20% + 1 rule". */
export function flagStateSentence(state: FlagStateText): string {
  if (!state.enabled) return "Off";
  const share = state.rolloutPercent !== null && state.rolloutPercent < 100 ? ` for ${state.rolloutPercent}%` : "";
  const n = state.rules ? state.rules.split("\n").length : 0;
  return `On${share}${n ? ` + ${n} rule${n === 1 ? "" : "s"}` : ""}`;
}
