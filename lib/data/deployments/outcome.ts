import "server-only";
import { db } from "../../db";

/** How a deployment stands: its status (the database's spelling) and why it failed, if it did. */
export async function deploymentOutcome(
  deploymentId: string,
): Promise<{ status: string; failureReason: string | null }> {
  const [row] = await db().$queryRaw<{ status: string; failureReason: string | null }[]>`
    select status::text as status, "failureReason" from "Deployment" where id = ${deploymentId}::uuid`;
  if (!row) throw new Error(`deployment ${deploymentId} does not exist`);
  return row;
}
