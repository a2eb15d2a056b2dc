import type { WorkReason } from "@/lib/data/promotion/my-work";

// Marks a waiting release the signed-in user can move on: by their approval, by ticking the
// required checklist items, or both (lib/data/my-work.ts decides).

const PHRASES: Record<WorkReason, string> = { approve: "your approval", tick: "your checklist ticks" };

export function workPhrase(reasons: readonly WorkReason[]): string {
  return `Waits for ${reasons.map((r) => PHRASES[r]).join(" and ")}`;
}

export function BoardWorkMark({ reasons }: { reasons: readonly WorkReason[] }) {
  if (reasons.length === 0) return null;
  return (
    <p className="inline-flex max-w-full items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-900 ring-1 ring-amber-600/30 ring-inset">
      <svg
        viewBox="0 0 16 16"
        className="size-3.5 shrink-0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.75"
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        focusable="false"
      >
        <circle cx="8" cy="5.5" r="2.75" />
        <path d="M2.75 14a5.25 5.25 0 0 1 10.5 0" />
      </svg>
      <span className="min-w-0">{workPhrase(reasons)}</span>
    </p>
  );
}
