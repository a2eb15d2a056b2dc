import Link from "next/link";
import { EmptyState } from "@/components/empty-state";
import { PageHeader } from "@/components/page-header";
import { PipelineBoard } from "@/components/pipeline-board";
import { PipelineSummary } from "@/components/pipeline-summary";
import { PromotionList } from "@/components/promotion-list";
import { AbsoluteTime } from "@/components/relative-time";
import { Section } from "@/components/section";
import { requireActor } from "@/lib/data/actor";
import { getPipelineOverview } from "@/lib/data/pipeline";

// the root layout's title template applies to nested segments only, so this page spells it out
export const metadata = { title: { absolute: "Pipeline · Greenlight" } };

export default async function PipelinePage() {
  const overview = await getPipelineOverview(await requireActor());
  const { environments, applications, pipeline, asOf } = overview;

  return (
    <>
      <PageHeader
        title="Pipeline"
        description={
          environments.length ? (
            <>
              What runs in each environment and what waits to move on, from {environments[0]?.name} to{" "}
              {environments.at(-1)?.name}.
            </>
          ) : (
            "What runs in each environment and what waits to move on."
          )
        }
        aside={
          <p className="text-xs text-slate-500">
            As of <AbsoluteTime date={asOf} />
          </p>
        }
      />
      {environments.length === 0 ? (
        <EmptyState title="No environments yet">
          Environments are the stages releases move through. Load a preset with{" "}
          <code className="font-mono">npm run db:seed -- --preset demo</code> to start from an example.
        </EmptyState>
      ) : applications.length === 0 ? (
        <EmptyState title="No releases yet">
          Create one from CI with <code className="font-mono whitespace-nowrap">POST /api/v1/releases</code>; each
          application appears here with its first release.
        </EmptyState>
      ) : (
        <div className="space-y-8">
          <PipelineSummary summary={pipeline.summary} />
          <Section
            id="board"
            title="Applications by environment"
            description="Select a version for its path through the pipeline, or an environment for its settings."
          >
            <PipelineBoard overview={overview} labelledBy="board-heading" />
          </Section>
          <Section
            id="waiting"
            title="Ready to promote"
            actions={
              <Link href="/releases" className="text-sm font-medium text-brand-700 hover:underline">
                All releases
              </Link>
            }
          >
            <PromotionList overview={overview} />
          </Section>
        </div>
      )}
    </>
  );
}
