import { promoteNow } from "@/lib/data/deployments/control";
import { controlRoute } from "@/lib/http/deployment-control";

// POST: promote-now the deployment (lib/http/deployment-control.ts); 409 with the reason when it cannot.
export const dynamic = "force-dynamic";

export const POST = controlRoute(promoteNow);
