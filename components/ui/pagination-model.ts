// Which page numbers a pagination bar shows: the first, the last, and the current page with its
// neighbours; a gap stands for the pages in between. Seven slots at most, so the bar fits a phone.

export type PageSlot = { kind: "page"; page: number } | { kind: "gap"; key: string };

export function pageSlots(page: number, pageCount: number): PageSlot[] {
  const wanted = new Set([1, pageCount, page - 1, page, page + 1]);
  // near an end, show one more neighbour instead of a gap hiding a single page
  if (page <= 3) [2, 3, 4].forEach((p) => wanted.add(p));
  if (page >= pageCount - 2) [pageCount - 1, pageCount - 2, pageCount - 3].forEach((p) => wanted.add(p));
  const pages = [...wanted].filter((p) => p >= 1 && p <= pageCount).sort((a, b) => a - b);

  const slots: PageSlot[] = [];
  pages.forEach((p, i) => {
    const before = pages[i - 1];
    if (before !== undefined && p - before === 2) slots.push({ kind: "page", page: p - 1 });
    else if (before !== undefined && p - before > 2) slots.push({ kind: "gap", key: `gap-${before}` });
    slots.push({ kind: "page", page: p });
  });
  return slots;
}

/** "Showing 26–50 of 10,000" needs the first and last item numbers of a page. */
export function pageRange(page: number, pageSize: number, total: number): { first: number; last: number } {
  if (total === 0) return { first: 0, last: 0 };
  const first = (page - 1) * pageSize + 1;
  return { first, last: Math.min(total, page * pageSize) };
}
