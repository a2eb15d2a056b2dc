import type { Metadata } from "next";
import { AccessLastChange } from "@/components/access/last-change";
import { AccessLegend } from "@/components/access/legend";
import { AccessMatrix } from "@/components/access/matrix";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Card, Section } from "@/components/ui/section";
import { requireActor } from "@/lib/session";
import { getAccessMatrix } from "@/lib/data/access/matrix";

export const metadata: Metadata = { title: "Access" };

export default async function AccessPage() {
  const actor = await requireActor();
  const matrix = await getAccessMatrix(actor);

  return (
    <>
      <PageHeader
        title="Access"
        description={
          matrix.canEdit
            ? "Who may do what, in which environment. A change holds from each affected person's next page load."
            : "What your roles may do in each environment."
        }
      />
      <div className="space-y-10">
        <Section
          id="matrix"
          title={matrix.canEdit ? "Access matrix" : "Your access"}
          description={<AccessLastChange change={matrix.lastChange} now={matrix.asOf} />}
        >
          {matrix.canEdit ? null : (
            <p id="matrix-read-only" className="mb-3 flex items-center gap-2 text-sm text-slate-600">
              <svg
                viewBox="0 0 16 16"
                className="size-4 shrink-0 text-slate-400"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
                aria-hidden="true"
                focusable="false"
              >
                <rect x="3.5" y="7" width="9" height="6.5" rx="1.5" />
                <path d="M5.5 7V5a2.5 2.5 0 0 1 5 0v2" />
              </svg>
              Only people with matrix.edit can change this.
            </p>
          )}
          {matrix.roles.length ? (
            <AccessMatrix matrix={matrix} labelledBy="matrix-heading" />
          ) : (
            <EmptyState title="You have no roles yet">
              Someone who manages users gives you a role; until then no environment is open to you.
            </EmptyState>
          )}
        </Section>
        <Section id="legend" title="What the levels mean">
          <Card className="px-4 py-4 sm:px-5">
            <AccessLegend />
          </Card>
        </Section>
      </div>
    </>
  );
}
