// Service IDs, terms types and document IDs name files in the repositories and words of commit messages: a name
// that could climb out of a folder (`..`, `/`), hide in .git (`.git`), end a message line (a line break) or split
// into two path parts (` #`) is refused wherever it comes from. OTA accepts any; every ID and type its collections
// use passes.

/** C0 and C1 controls (line feed, carriage return, tab, escape…) and the Unicode line and paragraph separators. */
export function isControlCharacter(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/** What makes a name unusable as a file name and a commit-message word; undefined when it is usable. */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '') return 'is empty';
  if (Array.from(name).some(isControlCharacter)) return 'contains a line break or another control character';
  if (/[/\\]/.test(name)) return 'contains a / or a \\, which would make it a folder';
  if (name.startsWith('.')) return 'starts with a dot (".", ".." and ".git" would name folders of their own)';
  if (name !== name.trim()) return 'starts or ends with a space';
  if (Buffer.byteLength(name, 'utf8') > 200) return 'is longer than 200 bytes (a file name holds 255, with the terms type and extension)';
  return undefined;
}

/** For terms types: ` #` also separates the document ID in snapshot file names. */
export function unsafeTermsTypeReason(type: string): string | undefined {
  return unsafeNameReason(type) ?? (type.includes(' #') ? 'contains " #", which separates the document ID in snapshot file names' : undefined);
}
