import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { FlagGridView } from "@/components/flags/grid";
import { FlagChangeRequests, ScheduledFlagChanges } from "@/components/flags/change-requests";
import { requireActor } from "@/lib/session";
import { flagGrid } from "@/lib/data/flags/grid";
import { flagChangeRequests } from "@/lib/data/flags/change-requests";
import { scheduledFlagChanges } from "@/lib/data/flags/scheduled";
import { FlagNewLink } from "@/components/flags/new-link";
import { can } from "@/lib/domain/access";

export const metadata = { title: "Flags" };

export default async function FlagsPage() {
  const actor = await requireActor();
  const [grid, requests, scheduled] = await Promise.all([
    flagGrid(actor),
    flagChangeRequests(actor),
    scheduledFlagChanges(actor),
  ]);
  const waiting = requests.filter((r) => r.canDecide).length;
  // the button is a convenience: flag.create checks flag.manage itself
  const canManage = can(actor, "flag.manage");
  return (
    <>
      <PageHeader
        title="Feature flags"
        description="Every flag in every environment you can see. Applications read them with an SDK key (environment settings)."
        aside={canManage ? <FlagNewLink /> : undefined}
      />
      {grid.flags.length === 0 ? (
        <EmptyState title="No feature flags yet">
          {canManage ? (
            "Create one with “New flag”: it starts off in every environment."
          ) : (
            <>
              Flags come with a preset (<code className="font-mono">npm run db:seed -- --preset demo</code>).
            </>
          )}
        </EmptyState>
      ) : grid.environments.length === 0 ? (
        <EmptyState title="No environment to show">None of your roles lets you see an environment.</EmptyState>
      ) : (
        <div className="space-y-10">
          <Section
            id="flag-changes"
            title={`Change requests${waiting ? ` (${waiting} waiting for you)` : ""}`}
            description="Where an environment asks for four eyes, a flag change waits here for someone else's approval."
          >
            <FlagChangeRequests requests={requests} />
          </Section>
          <FlagGridView grid={grid} requests={requests} />
          <Section
            id="flag-schedule"
            title="Scheduled changes"
            description="Applied once, at their time, by the job queue."
          >
            <ScheduledFlagChanges changes={scheduled} />
          </Section>
        </div>
      )}
    </>
  );
}
