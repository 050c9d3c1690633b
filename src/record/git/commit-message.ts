// Commit messages of both repositories, byte for byte as OTA writes them (OTA-FORMAT §7.5–7.7), and their
// decoding, which also accepts OTA's legacy subjects and bodies.
import type { RecordMetadata } from '../model.js';

export const SUBJECT_PREFIXES = {
  firstRecord: 'First record of',
  technicalUpgrade: 'Apply technical or declaration upgrade on',
  change: 'Record new changes of',
} as const;

const LEGACY_FIRST_RECORD = 'Start tracking';
const LEGACY_CHANGE = 'Update';
const LEGACY_TECHNICAL_UPGRADE = 'Refilter';

const ALL_PREFIXES = [
  SUBJECT_PREFIXES.firstRecord,
  SUBJECT_PREFIXES.technicalUpgrade,
  SUBJECT_PREFIXES.change,
  LEGACY_FIRST_RECORD,
  LEGACY_CHANGE,
  LEGACY_TECHNICAL_UPGRADE,
];

/** Snapshot and version trailers, in the order they are written. */
const TRAILER_ORDER = ['x-engine-version', 'x-fetcher', 'x-source-document-location'];

export interface SubjectOptions {
  readonly serviceId: string;
  readonly termsType: string;
  readonly isFirstRecord: boolean;
  readonly isTechnicalUpgrade: boolean;
}

export function subjectOf(options: SubjectOptions): string {
  const prefix = options.isFirstRecord
    ? SUBJECT_PREFIXES.firstRecord
    : options.isTechnicalUpgrade
      ? SUBJECT_PREFIXES.technicalUpgrade
      : SUBJECT_PREFIXES.change;
  return `${prefix} ${options.serviceId} ${options.termsType}`;
}

export function trailersOf(metadata: RecordMetadata): string {
  const keys = [
    ...TRAILER_ORDER.filter(key => key in metadata),
    ...Object.keys(metadata).filter(key => !TRAILER_ORDER.includes(key)),
  ];
  return keys
    .filter(key => metadata[key] !== '' && metadata[key] !== undefined)
    .map(key => `${key.charAt(0).toUpperCase()}${key.slice(1)}: ${metadata[key] ?? ''}`)
    .join('\n');
}

function assemble(paragraphs: readonly string[]): string {
  return `${paragraphs.filter(paragraph => paragraph !== '').join('\n\n')}\n`;
}

export function snapshotMessage(options: SubjectOptions & { documentId: string; metadata: RecordMetadata }): string {
  return assemble([
    subjectOf({ ...options, isTechnicalUpgrade: false }),
    options.documentId ? `Document ID ${options.documentId}` : '',
    trailersOf(options.metadata),
  ]);
}

/** `T(sha)`: the configured snapshot identifier template with its first `%SNAPSHOT_ID` replaced. */
export function snapshotIdentifier(template: string, snapshotId: string): string {
  return template.replace('%SNAPSHOT_ID', snapshotId);
}

export function versionMessage(
  options: SubjectOptions & { snapshotIds: readonly string[]; metadata: RecordMetadata; snapshotIdentifierTemplate: string },
): string {
  const identifiers = options.snapshotIds.map(id => snapshotIdentifier(options.snapshotIdentifierTemplate, id));
  const body =
    identifiers.length === 1
      ? `This version was recorded after extracting from snapshot ${identifiers[0] ?? ''}`
      : `This version was recorded after extracting from and assembling the following snapshots from ${identifiers.length} source documents:\n${identifiers
          .map(identifier => `- ${identifier}`)
          .join('\n')}`;
  return assemble([subjectOf(options), body, trailersOf(options.metadata)]);
}

export interface DecodedMessage {
  readonly isFirstRecord: boolean;
  readonly isTechnicalUpgrade: boolean;
  readonly snapshotIds: readonly string[];
  readonly metadata: RecordMetadata;
}

/** Whether a subject is one of a record's (the six prefixes of OTA-FORMAT §7.5, anchored). */
export function isRecordSubject(subject: string): boolean {
  return ALL_PREFIXES.some(prefix => subject.startsWith(`${prefix} `));
}

export function decodeMessage(subject: string, body: string): DecodedMessage {
  return {
    isFirstRecord: subject.startsWith(SUBJECT_PREFIXES.firstRecord) || subject.startsWith(LEGACY_FIRST_RECORD),
    isTechnicalUpgrade: subject.startsWith(SUBJECT_PREFIXES.technicalUpgrade) || subject.startsWith(LEGACY_TECHNICAL_UPGRADE),
    snapshotIds: snapshotIdsOf(body),
    metadata: parseTrailers(body),
  };
}

const TRAILER_KEY = /^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$/;

export function parseTrailers(body: string): RecordMetadata {
  const paragraphs = body.trim().split(/\n{2,}/);
  const last = paragraphs.at(-1) ?? '';
  const metadata: Record<string, string> = {};
  if (!last.includes(':')) return metadata;
  for (const line of last.split('\n')) {
    const trimmed = line.trim();
    const colon = trimmed.indexOf(':');
    if (colon === -1) continue;
    const key = trimmed.slice(0, colon);
    const value = trimmed.slice(colon + 1).trim();
    if (TRAILER_KEY.test(key) && value !== '') metadata[key.toLowerCase()] = value;
  }
  return metadata;
}

const SHA = /\b[0-9a-f]{40}\b/;

function snapshotIdsOf(body: string): string[] {
  const ids: string[] = [];
  for (const line of body.split('\n')) {
    const isSnapshotLine =
      /(extracting from snapshot|filtering snapshot) /.test(line) || line.startsWith('- ');
    const match = isSnapshotLine ? /([0-9a-f]{5,40})\s*$/.exec(line.trim()) : null;
    if (match?.[1]) ids.push(match[1]);
  }
  if (ids.length > 0) return ids;
  // OTA's own reader takes every hex-looking word: the last resort for bodies of unknown form.
  return [...body.matchAll(new RegExp(SHA.source.replace('{40}', '{5,40}'), 'g'))].map(match => match[0]);
}
