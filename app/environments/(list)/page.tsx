import { EmptyState } from "@/components/ui/empty-state";
import { EnvironmentCard } from "@/components/environments/card";
import { ComparePicker, defaultPair } from "@/components/environments/compare-picker";
import { Card, Section } from "@/components/ui/section";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/session";
import { listEnvironments } from "@/lib/data/environments/read";

export const metadata = { title: "Environments" };

export default async function EnvironmentsPage() {
  const environments = await listEnvironments(await requireActor());
  return (
    <>
      <PageHeader
        title="Environments"
        description="The stages releases move through, in order. Each one sets what it takes to deploy there."
      />
      {environments.length === 0 ? (
        <EmptyState title="No environments yet">
          Load a preset with <code className="font-mono">npm run db:seed -- --preset demo</code> to start from an
          example.
        </EmptyState>
      ) : (
        <div className="space-y-10">
          <ol className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {environments.map((environment, i) => (
              <li key={environment.id}>
                <EnvironmentCard environment={environment} stage={i + 1} />
              </li>
            ))}
          </ol>
          {environments.length >= 2 ? (
            <Section
              id="compare"
              title="Compare two environments"
              description="Works in one, fails in the other? See what runs, which flags and which settings differ."
            >
              <Card className="p-4">
                <ComparePicker environments={environments} {...defaultPair(environments)} />
              </Card>
            </Section>
          ) : null}
        </div>
      )}
    </>
  );
}
