// The root of every error this project throws on purpose. Each stage derives its own classes from it
// (declarations/errors.ts, fetch/errors.ts, …), so a caller can tell our errors from programming faults.

export class ArchiverError extends Error {
  override name = 'ArchiverError';
}
