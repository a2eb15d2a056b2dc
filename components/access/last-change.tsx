import type { MatrixChange } from "@/lib/data/access/matrix";
import { LEVEL_META, permissionList } from "./vocabulary";
import { RelativeTime } from "@/components/ui/relative-time";

/** "Last change: Ana Ruiz set QA engineer in Production to Read only, 3 minutes ago". */
export function AccessLastChange({ change, now }: { change: MatrixChange | null; now: Date }) {
  return (
    <span className="text-sm text-slate-600">
      <span className="font-medium text-slate-900">Last change:</span>{" "}
      {change ? (
        <>
          {change.actor} set{" "}
          {change.kind === "cell" ? (
            <>
              {change.role.name} in {change.environment.name} to{" "}
              <span className="font-medium text-slate-900">
                {LEVEL_META[change.level].label}
                {change.level === "custom" ? ` (${permissionList(change.permissions)})` : null}
              </span>
            </>
          ) : (
            <>
              the global permissions of {change.role.name} to{" "}
              <span className="font-medium text-slate-900">{permissionList(change.permissions)}</span>
            </>
          )}
          , <RelativeTime date={change.at} now={now} />
        </>
      ) : (
        "none since set-up."
      )}
    </span>
  );
}
