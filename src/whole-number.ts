// Whole numbers typed by people (command-line options, settings, query parameters): the one parser, so that "12",
// and only digits, means twelve everywhere ("", " 1", "1e3", "0x10" and "1.5" are not whole numbers).

export interface WholeNumberBounds {
  /** @default 0 */
  readonly minimum?: number;
  /** @default Number.MAX_SAFE_INTEGER */
  readonly maximum?: number;
}

/** The number, or undefined when the text is not a whole number within the bounds. */
export function parseWholeNumber(text: string, bounds: WholeNumberBounds = {}): number | undefined {
  if (!/^\d{1,16}$/.test(text)) return undefined;
  const number = Number(text);
  const minimum = bounds.minimum ?? 0;
  const maximum = bounds.maximum ?? Number.MAX_SAFE_INTEGER;
  return number >= minimum && number <= maximum ? number : undefined;
}

/** "a whole number of at least 1", "a whole number from 0 to 65535": what the bounds ask for, for messages. */
export function describeBounds(bounds: WholeNumberBounds = {}): string {
  const minimum = bounds.minimum ?? 0;
  return bounds.maximum === undefined ? `a whole number of at least ${minimum}` : `a whole number from ${minimum} to ${bounds.maximum}`;
}
