import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { FlagGridView } from "@/components/flags/grid";
import { FlagNewLink } from "@/components/flags/new-link";
import { requireActor } from "@/lib/session";
import { flagGrid } from "@/lib/data/flags/grid";
import { can } from "@/lib/domain/access";

export const metadata = { title: "Flags" };

export default async function FlagsPage() {
  const actor = await requireActor();
  const grid = await flagGrid(actor);
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
        <FlagGridView grid={grid} />
      )}
    </>
  );
}
