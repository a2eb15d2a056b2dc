import type { DecisionView } from "@/lib/data/promotion/view";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusIcon } from "@/components/ui/status-icon";

// Who approved or rejected a release's promotion, in what role, when and why. A decision that
// does not count towards the gates stays visible, marked with the reason it does not count.

export function DecisionWord({ decision }: { decision: "approved" | "rejected" }) {
  const approved = decision === "approved";
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${
        approved ? "bg-green-50 text-green-800 ring-green-600/25" : "bg-red-50 text-red-800 ring-red-600/25"
      }`}
    >
      <StatusIcon name={approved ? "check" : "cross"} className="size-3.5 shrink-0" />
      {approved ? "Approved" : "Rejected"}
    </span>
  );
}

export function ReleaseDecisions({
  decisions,
  environmentName,
  preventSelfApproval,
  isAuthor,
  now,
}: {
  decisions: DecisionView[];
  environmentName: string;
  preventSelfApproval: boolean;
  /** whether a decision is the release author's own */
  isAuthor: (decision: DecisionView) => boolean;
  now: Date;
}) {
  if (decisions.length === 0) return <p className="text-sm text-slate-600">No one has approved or rejected it yet.</p>;
  return (
    <ul aria-label={`Decisions for ${environmentName}`} className="divide-y divide-slate-100">
      {decisions.map((d) => {
        const why =
          d.decision === "approved" && preventSelfApproval && isAuthor(d)
            ? "the author's own approval does not count here"
            : `${d.mine ? "you" : d.userName} may not approve in ${environmentName}`;
        return (
          <li key={d.userId} className="py-2.5 first:pt-0 last:pb-0">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
              <span className="font-medium text-slate-900">
                {d.userName}
                {d.mine ? <span className="font-normal text-slate-500"> (you)</span> : null}
              </span>
              <span className="text-slate-500">{d.roleName ?? d.roleKey}</span>
              <DecisionWord decision={d.decision} />
              <span className="text-xs text-slate-500">
                <RelativeTime date={d.decidedAt} now={now} />
              </span>
            </div>
            {d.comment ? (
              <blockquote className="mt-1 border-l-2 border-slate-200 pl-3 text-sm whitespace-pre-line text-slate-700">
                {d.comment}
              </blockquote>
            ) : null}
            {d.counts ? null : (
              <p className="mt-1 flex items-center gap-1 text-xs font-medium text-amber-800">
                <StatusIcon name="slash" className="size-3.5 shrink-0" />
                Does not count: {why}
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
