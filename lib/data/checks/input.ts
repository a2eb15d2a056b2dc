import { z } from "zod";
import { CHECK_NAME, CHECK_NAME_MESSAGE, MAX_CHECK_NAME, MAX_CHECK_SUMMARY } from "@/lib/domain/checks";

// The pieces of a check report that the route, the operation and the OpenAPI document share.

export const CHECK_STATUSES = ["pending", "success", "failure"] as const;

/** A check's name: trimmed, 1–100 characters of CHECK_NAME (see lib/domain/checks.ts). */
export const checkName = z
  .string(CHECK_NAME_MESSAGE)
  .trim()
  .min(1, CHECK_NAME_MESSAGE)
  .max(MAX_CHECK_NAME, CHECK_NAME_MESSAGE)
  .regex(CHECK_NAME, CHECK_NAME_MESSAGE)
  .meta({
    description: "The check's name, unique per release: the latest report under a name wins",
    examples: ["unit-tests"],
  });

/** The request body of POST /api/v1/releases/{id}/checks; the OpenAPI document is generated from it. */
export const checkReportBody = z
  .object({
    name: checkName,
    status: z.enum(CHECK_STATUSES, "Use pending, success or failure"),
    url: z
      .url({ protocol: /^https?$/, error: "Enter an absolute http(s) address" })
      .max(2000, "Use at most 2000 characters")
      .nullable()
      .optional()
      .meta({ description: "Where the check's run can be seen (its CI job)" }),
    summary: z
      .string("Send the summary as text")
      .trim()
      .max(MAX_CHECK_SUMMARY, `Use at most ${MAX_CHECK_SUMMARY} characters`)
      .nullable()
      .optional(),
    environment: z
      .string("Name the environment (its key)")
      .trim()
      .min(1, "Name the environment (its key)")
      .max(100)
      .optional()
      .meta({
        description:
          "The environment the check speaks for (smoke tests in staging, say). Without it the check speaks for every environment.",
      }),
  })
  .strict();

export type CheckReportBody = z.infer<typeof checkReportBody>;
