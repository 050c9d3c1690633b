// File paths in the two repositories (OTA-FORMAT §7.2): `<serviceId>/<termsType>[ #<documentId>].<ext>`.
import mime from 'mime';

import { ArchiverError } from '../../archiver-error.js';
import { unsafeNameReason, unsafeTermsTypeReason } from '../../declarations/index.js';
import { UnsafeNameError } from '../errors.js';

const DOCUMENT_ID_SEPARATOR = ' #';

export function extensionOf(mimeType: string): string {
  const extension = mime.getExtension(mimeType);
  if (!extension) throw new ArchiverError(`No file extension is known for the MIME type "${mimeType}"`);
  return extension;
}

/** The file name without extension: `<termsType>` or `<termsType> #<documentId>`. */
export function baseNameOf(termsType: string, documentId: string): string {
  return documentId ? `${termsType}${DOCUMENT_ID_SEPARATOR}${documentId}` : termsType;
}

/**
 * The names checked again where they become paths, whatever checked them before: a record can never be written
 * outside its repository, into .git, or with a forged commit message line.
 */
function checkNames(serviceId: string, termsType: string, documentId = ''): void {
  const problem =
    unsafeNameReason(serviceId) === undefined ? undefined : { what: 'service ID', name: serviceId, reason: unsafeNameReason(serviceId) };
  const typeProblem = unsafeTermsTypeReason(termsType);
  const documentProblem = documentId === '' ? undefined : unsafeNameReason(documentId);
  const found =
    problem ??
    (typeProblem === undefined ? undefined : { what: 'terms type', name: termsType, reason: typeProblem }) ??
    (documentProblem === undefined ? undefined : { what: 'document ID', name: documentId, reason: documentProblem });
  if (found) throw new UnsafeNameError(found.what, found.name, found.reason ?? '');
}

export function snapshotPath(serviceId: string, termsType: string, documentId: string, mimeType: string): string {
  checkNames(serviceId, termsType, documentId);
  return `${serviceId}/${baseNameOf(termsType, documentId)}.${extensionOf(mimeType)}`;
}

export function versionPath(serviceId: string, termsType: string): string {
  checkNames(serviceId, termsType);
  return `${serviceId}/${termsType}.md`;
}

export interface ParsedPath {
  readonly serviceId: string;
  readonly termsType: string;
  readonly documentId: string;
  readonly extension: string;
}

/** Decodes a record path; undefined for root files and deeper paths, which belong to humans. */
export function parsePath(filePath: string): ParsedPath | undefined {
  const parts = filePath.split('/');
  if (parts.length !== 2) return undefined;
  const [serviceId = '', fileName = ''] = parts;
  const dot = fileName.lastIndexOf('.');
  if (!serviceId || dot <= 0) return undefined;
  const baseName = fileName.slice(0, dot);
  const separator = baseName.indexOf(DOCUMENT_ID_SEPARATOR);
  return {
    serviceId,
    termsType: separator === -1 ? baseName : baseName.slice(0, separator),
    documentId: separator === -1 ? '' : baseName.slice(separator + DOCUMENT_ID_SEPARATOR.length),
    extension: fileName.slice(dot + 1),
  };
}
