import type { RoleSummary, UserSummary } from "@/lib/data/users/users";
import { RelativeTime } from "@/components/ui/relative-time";
import { Badge } from "@/components/ui/status-badge";
import { UsersPasswordDialog } from "./password-dialog";
import { UsersRoleEditor } from "./role-editor";
import { UsersSecondFactorReset } from "./second-factor";
import { UsersStatusButton } from "./status-button";
import { formatAbsolute } from "@/components/ui/format";
import type { StatusMeta } from "@/lib/domain/status";

// Everyone who can sign in (or could, before being deactivated), with their roles and what an
// admin can do about each of them.

const STATUS: Record<"active" | "deactivated", StatusMeta> = {
  active: { label: "Active", tone: "success", icon: "check", description: "Can sign in" },
  deactivated: {
    label: "Deactivated",
    tone: "neutral",
    icon: "slash",
    description: "Cannot sign in; their sessions stopped working",
  },
};

export function RoleChip({ name }: { name: string }) {
  return (
    <span className="inline-flex items-center whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700 ring-1 ring-inset ring-slate-500/20">
      {name}
    </span>
  );
}

export function UsersTable({
  users,
  roles,
  actorId,
  now,
}: {
  users: UserSummary[];
  roles: RoleSummary[];
  actorId: string;
  now: Date;
}) {
  const options = roles.map(({ key, name, description }) => ({ key, name, description }));
  // relative: the buttons' screen-reader-only labels are absolutely positioned, and would
  // otherwise escape the horizontal scroll and widen the whole page on a phone
  return (
    <div
      role="region"
      aria-label="Users table"
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Users with their roles, status, second factor and last sign-in</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3">
              User
            </th>
            <th scope="col" className="px-4 py-3">
              Roles
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
            <th scope="col" className="whitespace-nowrap px-4 py-3">
              Second factor
            </th>
            <th scope="col" className="whitespace-nowrap px-4 py-3">
              Last sign-in
            </th>
            <th scope="col" className="px-4 py-3">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {users.map((user) => {
            const label = user.name ?? user.email;
            const self = user.id === actorId;
            return (
              <tr key={user.id} className={user.active ? "" : "bg-slate-50/60"}>
                <th scope="row" className="px-4 py-3 align-top font-normal">
                  <span className={`font-semibold ${user.active ? "text-slate-900" : "text-slate-500"}`}>{label}</span>
                  {self ? <span className="ml-1.5 text-xs text-slate-500">(you)</span> : null}
                  <span className="block whitespace-nowrap text-slate-600">{user.email}</span>
                </th>
                <td className="px-4 py-3 align-top">
                  {user.roles.length ? (
                    <ul className="flex flex-wrap gap-1" aria-label={`Roles of ${label}`}>
                      {user.roles.map((role) => (
                        <li key={role.key}>
                          <RoleChip name={role.name} />
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <span className="text-slate-500">No roles</span>
                  )}
                </td>
                <td className="px-4 py-3 align-top">
                  <Badge meta={user.active ? STATUS.active : STATUS.deactivated} />
                </td>
                <td className="whitespace-nowrap px-4 py-3 align-top text-slate-600">
                  {user.secondFactorSince ? (
                    <>
                      <span className="font-medium text-green-800">Set up</span>
                      <span className="block text-xs">
                        since{" "}
                        <time dateTime={user.secondFactorSince.toISOString()}>
                          {formatAbsolute(user.secondFactorSince)}
                        </time>
                      </span>
                    </>
                  ) : (
                    "Not set up"
                  )}
                </td>
                <td className="whitespace-nowrap px-4 py-3 align-top text-slate-600">
                  {user.lastSignInAt ? <RelativeTime date={user.lastSignInAt} now={now} /> : "Never"}
                </td>
                {/* wide enough for the three buttons on one line; a confirm step wraps below them */}
                <td className="min-w-[24rem] px-4 py-3 align-top">
                  <div className="flex flex-wrap justify-end gap-2">
                    <UsersRoleEditor
                      user={{ id: user.id, label, roleKeys: user.roles.map((r) => r.key) }}
                      roles={options}
                    />
                    <UsersPasswordDialog user={{ id: user.id, label }} />
                    <UsersStatusButton user={{ id: user.id, label, active: user.active }} self={self} />
                    <UsersSecondFactorReset user={{ id: user.id, label, enrolled: user.secondFactorSince !== null }} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
