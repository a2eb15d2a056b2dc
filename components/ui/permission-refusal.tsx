import type { ReactNode } from "react";
import { EmptyState } from "./empty-state";

// What an admin page shows to someone whose roles do not include its permission: a plain
// statement of what is missing and whom to ask, instead of an error page.

export function PermissionRefusal({ permission, children }: { permission: string; children?: ReactNode }) {
  return (
    <EmptyState
      icon="lock"
      title={
        <>
          You need the <code className="font-mono text-[0.95em]">{permission}</code> permission
        </>
      }
    >
      {children ?? "None of your roles grants it. Ask an admin if you need access to this page."}
    </EmptyState>
  );
}
