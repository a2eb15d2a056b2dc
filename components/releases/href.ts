/** The releases list's URL for a page and an optional application filter (page 1 stays implicit). */
export function releasesHref({ page = 1, application }: { page?: number; application?: string | null }): string {
  const params = new URLSearchParams();
  if (application) params.set("application", application);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/releases?${query}` : "/releases";
}
