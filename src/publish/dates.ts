// Dates given by people (API parameters, command options): ISO 8601, and a day that exists. JavaScript's Date rolls
// 2026-02-30 over to March 2 without a word; a researcher asking for it gets told instead.

/** The date `text` says, or undefined when it is not ISO 8601 (`2024-01-31`, `2024-01-31T12:00:00Z`…) or no such day. */
export function parseIsoDate(text: string): Date | undefined {
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!day) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) return undefined;
  const [year, month, dayOfMonth] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const calendar = new Date(Date.UTC(year, month - 1, dayOfMonth));
  return calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === dayOfMonth ? date : undefined;
}

/** `text` as it can be echoed in a message: at most 80 characters. */
export function echo(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
