import { z } from "zod";
import { validateHealthChecks, type HealthCheck } from "../domain/health-checks";

// The health checks of the environment settings form as a zod schema, for the route kit and the
// actions that parse with zod. The rules themselves live in lib/domain/health-checks.ts, which
// may import no package: this only turns its field errors into zod issues (path "0.url" →
// ["0", "url"]), so a 422 names the same fields either way.

export const healthChecksSchema: z.ZodType<HealthCheck[], unknown> = z.unknown().transform((value, ctx) => {
  const result = validateHealthChecks(value);
  if (result.ok) return result.checks;
  for (const [field, messages] of Object.entries(result.fieldErrors))
    for (const message of messages)
      ctx.addIssue({
        code: "custom",
        message,
        path: field === "_" ? [] : field.split(".").map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      });
  return z.NEVER;
});
