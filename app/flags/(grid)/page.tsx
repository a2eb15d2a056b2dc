import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { FlagGridView } from "@/components/flags/grid";
import { requireActor } from "@/lib/session";
import { flagGrid } from "@/lib/data/flags/grid";

export const metadata = { title: "Flags" };

export default async function FlagsPage() {
  const grid = await flagGrid(await requireActor());
  return (
    <>
      <PageHeader
        title="Feature flags"
        description="Every flag in every environment you can see. Applications read them with an SDK key (environment settings)."
      />
      {grid.flags.length === 0 ? (
        <EmptyState title="No feature flags yet">
          Flags come with a preset (<code className="font-mono">npm run db:seed -- --preset demo</code>).
        </EmptyState>
      ) : grid.environments.length === 0 ? (
        <EmptyState title="No environment to show">None of your roles lets you see an environment.</EmptyState>
      ) : (
        <FlagGridView grid={grid} />
      )}
    </>
  );
}
