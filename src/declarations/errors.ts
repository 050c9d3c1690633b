import { ArchiverError } from '../archiver-error.js';

/** A declaration, history or filters file that cannot be used. Names the file and the JSON path. */
export class DeclarationError extends ArchiverError {
  override name = 'DeclarationError';
  readonly file: string;
  readonly path: string;
  readonly detail: string;

  constructor(file: string, path: string, detail: string, options?: ErrorOptions) {
    super(`${file}${path ? ` › ${path}` : ''}: ${detail}`, options);
    this.file = file;
    this.path = path;
    this.detail = detail;
  }
}

/** The declarations folder cannot be read: it does not exist, or is not a folder. */
export class MissingDeclarationsError extends ArchiverError {
  override name = 'MissingDeclarationsError';

  constructor(
    readonly directory: string,
    options?: ErrorOptions,
  ) {
    const code = (options?.cause as NodeJS.ErrnoException | undefined)?.code;
    super(`no declarations: ${directory} ${code === 'ENOTDIR' ? 'is not a folder' : code === 'ENOENT' ? 'does not exist' : 'cannot be read'}`, options);
  }
}

/** Something in a declaration that works but is probably a mistake. */
export interface DeclarationWarning {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

export function formatWarning(warning: DeclarationWarning): string {
  return `${warning.file}${warning.path ? ` › ${warning.path}` : ''}: ${warning.message}`;
}
