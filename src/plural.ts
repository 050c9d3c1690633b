// Counts with their noun in the right number, for every message people read: "1 service", "2 services".

/** `plural(1, 'service')` → `1 service`; `plural(3, 'entry', 'entries')` → `3 entries`. Thousands get separators. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? noun : nouns}`;
}
