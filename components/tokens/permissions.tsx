import { GLOBAL_PERMISSIONS, type Permission } from "@/lib/domain/permissions";

// How a token's permissions read on the tokens page: grouped by what they are about, each with
// one line of what it lets a machine do. The dotted name stays visible, as the API speaks it.

export const PERMISSION_GROUPS: { label: string; permissions: { name: Permission; does: string }[] }[] = [
  {
    label: "Read",
    permissions: [
      { name: "environment.view", does: "See environments and where releases stand" },
      { name: "audit.view", does: "Read the audit trail and deployment logs" },
    ],
  },
  {
    label: "Releases",
    permissions: [
      { name: "release.create", does: "Create releases, e.g. from CI" },
      { name: "release.check", does: "Report CI checks on releases (tests, scans)" },
      { name: "release.approve", does: "Approve or reject promotions" },
      { name: "checklist.tick", does: "Tick checklist items" },
    ],
  },
  {
    label: "Deploys",
    permissions: [
      { name: "deploy.trigger", does: "Start deploys and promotions" },
      { name: "deploy.rollback", does: "Roll deploys back" },
    ],
  },
  {
    label: "Feature flags",
    permissions: [
      { name: "flag.toggle", does: "Switch flags on and off" },
      { name: "flag.approve", does: "Approve flag changes" },
      { name: "flag.manage", does: "Create and archive flags" },
    ],
  },
  {
    label: "Administration",
    permissions: [
      { name: "environment.manage", does: "Change environment settings" },
      { name: "matrix.edit", does: "Edit the access matrix" },
      { name: "user.manage", does: "Manage users and roles" },
      { name: "token.manage", does: "Create and revoke API tokens" },
    ],
  },
];

/** Not tied to an environment: the token's environments do not narrow them. */
export function isEverywhere(permission: Permission): boolean {
  return permission !== "audit.view" && (GLOBAL_PERMISSIONS as readonly string[]).includes(permission);
}

export function PermissionChip({ name }: { name: string }) {
  return (
    <code className="inline-block whitespace-nowrap rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700 ring-1 ring-inset ring-slate-500/20">
      {name}
    </code>
  );
}
