// The rows of the history index and their mapping to what callers see (IndexedVersion), with the WHERE clause of
// version queries.
import type { ChangeLabel } from './labels.js';

export type VersionKind = 'first' | 'change' | 'upgrade';

export interface IndexedVersion {
  readonly id: string;
  readonly serviceId: string;
  readonly termsType: string;
  /** ISO 8601, milliseconds included. */
  readonly fetchDate: string;
  readonly kind: VersionKind;
  readonly subject: string;
  readonly linesAdded: number;
  readonly linesRemoved: number;
  readonly wordsAdded: number;
  readonly wordsRemoved: number;
  readonly sections: readonly string[];
  readonly summary: string;
  readonly diffHtml: string;
  readonly snapshotIds: readonly string[];
  readonly label: ChangeLabel;
  /** The rule that set the label. */
  readonly labelReason: string;
}

export interface Row {
  id: string;
  service: string;
  type: string;
  date: string;
  kind: VersionKind;
  subject: string;
  lines_added: number;
  lines_removed: number;
  words_added: number;
  words_removed: number;
  sections: string;
  summary: string;
  diff_html: string;
  snapshot_ids: string;
  label: ChangeLabel;
  label_reason: string;
}

export function toVersion(row: Row): IndexedVersion {
  return {
    id: row.id,
    serviceId: row.service,
    termsType: row.type,
    fetchDate: row.date,
    kind: row.kind,
    subject: row.subject,
    linesAdded: row.lines_added,
    linesRemoved: row.lines_removed,
    wordsAdded: row.words_added,
    wordsRemoved: row.words_removed,
    sections: JSON.parse(row.sections) as string[],
    summary: row.summary,
    diffHtml: row.diff_html,
    snapshotIds: JSON.parse(row.snapshot_ids) as string[],
    label: row.label,
    labelReason: row.label_reason,
  };
}

export type ExportRow = Pick<IndexedVersion, 'id' | 'serviceId' | 'termsType' | 'fetchDate' | 'kind' | 'label' | 'linesAdded' | 'linesRemoved' | 'wordsAdded' | 'wordsRemoved' | 'snapshotIds'>;

export interface VersionQuery {
  readonly serviceId?: string | undefined;
  readonly termsType?: string | undefined;
  /** Any of these services (with serviceId: both apply). */
  readonly serviceIds?: readonly string[] | undefined;
  /** Any of these terms types. */
  readonly termsTypes?: readonly string[] | undefined;
  /** Any of these labels. */
  readonly labels?: readonly ChangeLabel[] | undefined;
  readonly includeTechnicalUpgrades?: boolean;
  /** Newest first. */
  readonly limit: number;
  readonly offset?: number;
}

/** The WHERE clause of a query on versions, with its parameters. */
export function whereOf(query: Omit<VersionQuery, 'limit' | 'offset'>): { where: string; parameters: string[] } {
  const conditions: string[] = [];
  const parameters: string[] = [];
  if (query.serviceId !== undefined) {
    conditions.push('service = ?');
    parameters.push(query.serviceId);
  }
  if (query.termsType !== undefined) {
    conditions.push('type = ?');
    parameters.push(query.termsType);
  }
  for (const [column, values] of [['service', query.serviceIds], ['type', query.termsTypes], ['label', query.labels]] as const) {
    if (values === undefined || values.length === 0) continue;
    conditions.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    parameters.push(...values);
  }
  if (!query.includeTechnicalUpgrades) conditions.push("kind != 'upgrade'");
  return { where: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '', parameters };
}
