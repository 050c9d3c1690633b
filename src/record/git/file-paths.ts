// File paths in the two repositories (OTA-FORMAT §7.2): `<serviceId>/<termsType>[ #<documentId>].<ext>`.
import mime from 'mime';

import { ArchiverError } from '../../archiver-error.js';

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

export function snapshotPath(serviceId: string, termsType: string, documentId: string, mimeType: string): string {
  return `${serviceId}/${baseNameOf(termsType, documentId)}.${extensionOf(mimeType)}`;
}

export function versionPath(serviceId: string, termsType: string): string {
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
