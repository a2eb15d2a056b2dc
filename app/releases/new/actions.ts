"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireActor } from "@/lib/session";
import { createRelease } from "@/lib/data/releases/create";
import { actionResult, type ActionResult } from "@/lib/data/result";

// Thin: the form goes to createRelease, which validates (422 with field messages), checks
// release.create where releases enter the pipeline and audits. Success never returns: the
// browser goes to the release, flagged when it already existed at this commit.

function text(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value : "";
}

function texts(form: FormData, name: string): string[] {
  return form.getAll(name).map((v) => (typeof v === "string" ? v : ""));
}

/** Link rows arrive as parallel lists; a row left entirely blank is no link at all. */
function links(form: FormData): { label: string; url: string }[] {
  const labels = texts(form, "linkLabel");
  const urls = texts(form, "linkUrl");
  return labels
    .map((label, i) => ({ label, url: urls[i] ?? "" }))
    .filter((link) => link.label.trim() !== "" || link.url.trim() !== "");
}

export async function createReleaseAction(_: unknown, form: FormData): Promise<ActionResult<never>> {
  const actor = await requireActor();
  const commitAt = text(form, "commitAt").trim();
  const result = await actionResult(() =>
    createRelease(actor, {
      application: text(form, "application"),
      version: text(form, "version"),
      commitSha: text(form, "commitSha"),
      // the browser turns its local date and time into an instant; empty means unknown
      commitAt: commitAt === "" ? null : commitAt,
      title: text(form, "title"),
      changelog: text(form, "changelog"),
      links: links(form),
      // empty means not given
      branch: text(form, "branch"),
    }),
  );
  if (!result.ok) return result;
  revalidatePath("/releases");
  revalidatePath("/");
  const { release, created } = result.data;
  redirect(created ? `/releases/${release.id}` : `/releases/${release.id}?existing=1`);
}
