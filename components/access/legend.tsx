import { ACCESS_LEVELS } from "@/lib/domain/permissions";
import { AccessLevelBadge } from "./level-badge";
import { ENVIRONMENT_PERMISSION_TEXT, LEVEL_META, LEVEL_ORDER } from "./vocabulary";

// What each named level permits, read from ACCESS_LEVELS itself so the legend cannot drift
// from what the server enforces.

export function AccessLegend() {
  return (
    <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-3">
      {LEVEL_ORDER.map((level) => {
        const permissions = ACCESS_LEVELS[level].permissions;
        return (
          <div key={level}>
            <dt>
              <AccessLevelBadge level={level} permissions={permissions} />
            </dt>
            <dd className="mt-1 text-sm text-slate-700">
              {LEVEL_META[level].description}.
              <span className="mt-0.5 block text-xs text-slate-500">
                {permissions.length === 0
                  ? "No permissions."
                  : level === "full"
                    ? "Every environment permission."
                    : permissions.map((p) => ENVIRONMENT_PERMISSION_TEXT[p]).join(" · ")}
              </span>
            </dd>
          </div>
        );
      })}
      <div>
        <dt>
          <AccessLevelBadge level="custom" permissions={[]} />
        </dt>
        <dd className="mt-1 text-sm text-slate-700">{LEVEL_META.custom.description}. Open the cell to see the list.</dd>
      </div>
    </dl>
  );
}
