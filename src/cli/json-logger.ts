// `--json`: every event of a run as one JSON object per line on standard output, for other programs.
import { type ArchivistListener, EVENT_NAMES } from '../track/index.js';


/** Page contents and declarations are left out: an event line stays short. */
const OMITTED_FIELDS = new Set(['content', 'sourceDocuments']);

/** The fields worth printing of an event argument: no page contents, errors as their messages. */
function describe(value: unknown): unknown {
  if (value instanceof Error) {
    const reasons = (value as { reasons?: unknown }).reasons;
    return { name: value.name, message: value.message, ...(Array.isArray(reasons) && { reasons }) };
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !OMITTED_FIELDS.has(key))
      .map(([key, field]) => [key, field instanceof Date ? field.toISOString() : field]),
  );
}

export function createJsonLogger(write: (line: string) => void, now: () => Date = () => new Date()): ArchivistListener {
  const listener: Record<string, (...args: unknown[]) => void> = {};
  for (const event of EVENT_NAMES) {
    listener[`on${event.charAt(0).toUpperCase()}${event.slice(1)}`] = (...args: unknown[]) => {
      write(JSON.stringify({ event, time: now().toISOString(), args: args.map(describe) }));
    };
  }
  return listener;
}
