import type { TrafficSide, TrafficSplit } from "./traffic";

// The traffic split as a picture: one bar, the share of what ran before on the left and the
// incoming release on the right, each labelled with its version and colour. The bar itself is
// decorative; the caption says the same in a sentence.

// Full class names so Tailwind finds them: the deploy colours, or neutral/amber where the
// strategy has none (a direct deploy).
const FILL: Record<"blue" | "green" | "incoming" | "previous", string> = {
  blue: "bg-blue-600 text-white",
  green: "bg-emerald-600 text-white",
  incoming: "bg-amber-500 text-amber-950",
  previous: "bg-slate-400 text-slate-950",
};

function fillOf(side: TrafficSide): string {
  return FILL[side.color ?? (side.incoming ? "incoming" : "previous")];
}

export function TrafficSplitPicture({ split }: { split: TrafficSplit }) {
  const sides = [split.previous, split.next];
  return (
    <figure>
      <div className="flex h-10 overflow-hidden rounded-md ring-1 ring-slate-300" aria-hidden="true">
        {sides.map((side) =>
          side.percent > 0 ? (
            <div
              key={side.incoming ? "next" : "previous"}
              className={`flex min-w-0 items-center justify-center px-1 text-xs font-semibold tabular-nums transition-[width] duration-500 motion-reduce:transition-none ${fillOf(side)}`}
              style={{ width: `${side.percent}%` }}
            >
              {side.percent >= 12 ? `${side.percent} %` : null}
            </div>
          ) : null,
        )}
      </div>
      <ul className="mt-3 grid gap-2 text-sm sm:grid-cols-2" aria-hidden="true">
        {sides.map((side) => (
          <li
            key={side.incoming ? "next" : "previous"}
            className={`flex items-center gap-2 ${side.incoming ? "sm:justify-end" : ""}`}
          >
            <span className={`size-3 shrink-0 rounded-sm ${fillOf(side)}`} />
            <span className="min-w-0">
              <span className="font-mono font-medium text-slate-900">{side.version}</span>
              <span className="text-slate-600">
                {" "}
                {side.color ? `· ${side.color} ` : ""}· {side.incoming ? "incoming" : "before"} ·{" "}
                <span className="tabular-nums">{side.percent} %</span>
              </span>
            </span>
          </li>
        ))}
      </ul>
      <figcaption className="mt-2 text-sm text-slate-600">{split.text}</figcaption>
    </figure>
  );
}
