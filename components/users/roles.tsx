import Link from "@/components/ui/link";
import type { RoleSummary } from "@/lib/data/users/users";
import { formatCount } from "@/components/ui/format";

// The roles people can hold, built-in and custom, with what each is for. What a role may do in
// each environment lives in the access matrix; only the permissions that hold everywhere
// (user.manage, token.manage …) are listed here.

export function UsersRoles({ roles }: { roles: RoleSummary[] }) {
  return (
    <>
      <ul className="divide-y divide-slate-200" aria-label="Roles">
        {roles.map((role) => (
          <li key={role.key} className="py-3 first:pt-0">
            <div className="flex flex-wrap items-baseline justify-between gap-x-3">
              <p className="font-medium text-slate-900">
                {role.name} <span className="font-mono text-xs font-normal text-slate-500">{role.key}</span>
                {role.builtIn ? null : (
                  <span className="ml-2 rounded-full bg-sky-50 px-2 py-0.5 text-xs font-medium text-sky-800 ring-1 ring-inset ring-sky-600/25">
                    Custom
                  </span>
                )}
              </p>
              <p className="text-xs text-slate-500">
                {formatCount(role.userCount)} {role.userCount === 1 ? "user" : "users"}
              </p>
            </div>
            {role.description ? <p className="text-sm text-slate-600">{role.description}</p> : null}
            {role.globalPermissions.length ? (
              <p className="mt-1 text-xs text-slate-500">
                Everywhere:{" "}
                {role.globalPermissions.map((p, i) => (
                  <span key={p}>
                    {i ? ", " : null}
                    <code className="font-mono">{p}</code>
                  </span>
                ))}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="pt-1 text-xs text-slate-500">
        What each role may do per environment is set in the{" "}
        <Link href="/access" className="font-medium text-brand-700 hover:underline">
          access matrix
        </Link>
        .
      </p>
    </>
  );
}
