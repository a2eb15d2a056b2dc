import { PageHeader } from "@/components/ui/page-header";
import { Card, Section } from "@/components/ui/section";
import { UsersNewForm } from "@/components/users/new-form";
import { UsersNewRoleForm } from "@/components/users/new-role-form";
import { PermissionRefusal } from "@/components/ui/permission-refusal";
import { UsersRoles } from "@/components/users/roles";
import { UsersTable } from "@/components/users/table";
import { formatCount } from "@/components/ui/format";
import { requireActor } from "@/lib/session";
import { ForbiddenError } from "@/lib/data/errors";
import { listRoles, listUsers } from "@/lib/data/users/users";

export const metadata = { title: "Users" };

const TITLE = "Users and roles";
const DESCRIPTION = "Who can sign in to Greenlight, and which roles they hold.";

/** The users and roles, or null when lib/data refuses them (no user.manage). */
async function load(actor: Awaited<ReturnType<typeof requireActor>>) {
  try {
    // one after the other: a refused first read must not cost a second refusal on record
    const users = await listUsers(actor);
    return { users, roles: await listRoles(actor) };
  } catch (e) {
    if (e instanceof ForbiddenError) return null;
    throw e;
  }
}

export default async function UsersPage() {
  const actor = await requireActor();
  const data = await load(actor);
  if (!data)
    return (
      <>
        <PageHeader title={TITLE} description={DESCRIPTION} />
        <PermissionRefusal permission="user.manage" />
      </>
    );

  const { users, roles } = data;
  const now = new Date();
  const active = users.filter((u) => u.active).length;
  const options = roles.map(({ key, name, description }) => ({ key, name, description }));
  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        aside={
          <p className="text-sm text-slate-600">
            {formatCount(active)} active · {formatCount(users.length - active)} deactivated
          </p>
        }
      />
      <div className="space-y-10">
        <Section
          id="people"
          title="People"
          description="A deactivated user is signed out at their next request and cannot sign in again until reactivated."
        >
          <UsersTable users={users} roles={roles} actorId={actor.id} now={now} />
        </Section>
        <div className="grid gap-10 lg:grid-cols-2 lg:gap-8">
          <Section id="new-user" title="New user" description="Signs in with this email and password.">
            <Card className="p-4 sm:p-5">
              <UsersNewForm roles={options} />
            </Card>
          </Section>
          <Section id="roles" title="Roles">
            <Card className="space-y-6 p-4 sm:p-5">
              <UsersRoles roles={roles} />
              <div className="border-t border-slate-200 pt-5">
                <h3 className="mb-3 text-base font-semibold text-slate-900">Add a custom role</h3>
                <UsersNewRoleForm />
              </div>
            </Card>
          </Section>
        </div>
      </div>
    </>
  );
}
