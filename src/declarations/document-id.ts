// The document ID of a source document of combined terms (OTA-FORMAT §7.3): it names the snapshot file
// `<serviceId>/<termsType> #<documentId>.<ext>`, so it must stay byte-compatible with OTA.
import mime from 'mime';

import { isControlCharacter } from './names.js';

const FORBIDDEN_CHARACTERS = /[\\:"<>|*?]/g;


export function documentIdOf(location: string): string {
  let pathname: string;
  try {
    pathname = new URL(location).pathname;
  } catch {
    return '';
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    decoded = pathname;
  }
  const segments = decoded.split('/').filter(segment => segment !== '');
  const last = segments.at(-1);
  if (last !== undefined) {
    const dot = last.lastIndexOf('.');
    if (dot > 0 && mime.getType(last.slice(dot + 1)) !== null) segments[segments.length - 1] = last.slice(0, dot);
  }
  // line breaks and other control characters (a `%0A` in a URL) would break file names and commit messages
  return Array.from(segments.join('-').replace(FORBIDDEN_CHARACTERS, '_'), character => (isControlCharacter(character) ? '_' : character)).join('');
}
