import Link from "@/components/ui/link";
import { PermissionRefusal } from "@/components/ui/permission-refusal";

/** What the audit page says to someone who may not read the trail, and how to get access. */
export function AuditRefusal({ message }: { message: string }) {
  return (
    <PermissionRefusal permission="audit.view">
      <div className="space-y-2">
        <p>{message}.</p>
        <p>
          Admins see every event; a role whose access in an environment is “Read only” or “Full access” sees that
          environment’s events. Ask an admin if your work needs it.{" "}
          <Link href="/access" className="font-medium text-brand-700 underline">
            See the access matrix
          </Link>
        </p>
      </div>
    </PermissionRefusal>
  );
}
