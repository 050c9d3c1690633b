// Octokit logs each failed request on the console; our callers report failures themselves, in one line each.
const quiet = (): void => undefined;

export const SILENT = { debug: quiet, info: quiet, warn: quiet, error: quiet };
