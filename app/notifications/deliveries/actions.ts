"use server";

import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/session";
import { actionResult, type ActionResult } from "@/lib/data/result";
import { resendDelivery } from "@/lib/data/notifications/resend";

export async function resendDeliveryAction(deliveryId: string): Promise<ActionResult<{ deliveryId: string }>> {
  const actor = await requireActor();
  const result = await actionResult(() => resendDelivery(actor, { deliveryId }));
  if (result.ok) revalidatePath("/notifications/deliveries");
  return result;
}
