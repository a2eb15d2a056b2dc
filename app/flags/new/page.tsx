import Link from "@/components/ui/link";
import { FlagNewForm } from "@/components/flags/new-form";
import { PageHeader } from "@/components/ui/page-header";
import { PermissionRefusal } from "@/components/ui/permission-refusal";
import { Card } from "@/components/ui/section";
import { requireActor } from "@/lib/session";
import { flagGrid } from "@/lib/data/flags/grid";
import { can } from "@/lib/domain/access";

export const metadata = { title: "New flag" };

export default async function NewFlagPage() {
  const actor = await requireActor();
  const allowed = can(actor, "flag.manage");
  // the categories in use, offered as suggestions
  const categories = allowed ? [...new Set((await flagGrid(actor)).flags.map((f) => f.category))].sort() : [];
  return (
    <>
      <PageHeader
        eyebrow={
          <nav aria-label="Breadcrumb">
            <Link href="/flags" className="hover:underline">
              Feature flags
            </Link>
          </nav>
        }
        title="New flag"
        description="A flag starts off in every environment: creating it changes nothing for any application until someone turns it on."
      />
      {allowed ? (
        <Card className="max-w-2xl p-4 sm:p-5">
          <FlagNewForm categories={categories} />
        </Card>
      ) : (
        <PermissionRefusal permission="flag.manage">Ask an admin if you need to create flags.</PermissionRefusal>
      )}
    </>
  );
}
