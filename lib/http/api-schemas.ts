import { z } from "zod";

// Request bodies of the /api/v1 routes that are not an operation's own input: the routes parse
// with them and the OpenAPI document is generated from them (app/api/v1/openapi.json).

export const promotionRequest = z
  .object({
    environment: z.string().min(1, "Name the environment (its key)").max(100),
    overrideReason: z.string().max(500).optional(),
  })
  .strict();

export const rollbackRequest = z
  .object({
    application: z.string().min(1, "Name the application (its key)").max(100),
    reason: z.string().max(500),
  })
  .strict();

export const holdReleaseQuery = z.object({
  application: z.string().min(1).max(100),
  reason: z.string().max(500).optional(),
});

export const flagChangeBody = z
  .object({
    enabled: z.boolean("Say whether the flag is on (true or false)"),
    rolloutPercent: z.number().int().min(0).max(100).nullable().optional(),
    rules: z
      .union([
        z.string().max(20_000),
        z.array(
          z
            .object({
              attribute: z.string().max(100),
              operator: z.enum(["equals", "in"]),
              values: z.array(z.string().max(1_000)).max(1_000),
            })
            .strict(),
        ),
      ])
      .optional(),
    reason: z.string().max(2_000).optional(),
    applyAt: z.string().max(64).optional(),
    breakGlass: z.boolean().optional(),
  })
  .strict();

export const checklistTickBody = z
  .object({
    checked: z.boolean("Say whether the item is ticked (true or false)"),
    note: z.string().trim().max(500, "At most 500 characters").optional(),
  })
  .strict();
