// Publishing a dataset on data.gouv.fr, France's open data portal, as OTA does: one dataset of the organisation,
// found by its id (or by its title among the organisation's datasets, and made when missing), whose description,
// licence (ODbL), frequency and temporal coverage are updated, and whose first resource's file is replaced by the new
// ZIP (or uploaded as its first resource). data.gouv.fr has no official JavaScript client: its REST API (v1) is
// called with fetch, authenticated by the X-API-KEY header.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { ReleaseError } from './release-error.js';

export const DATAGOUV_API_URL = 'https://www.data.gouv.fr/api/1';

export interface DataGouvOptions {
  /** From the environment only. */
  readonly apiKey: string;
  /** @default DATAGOUV_API_URL (demo.data.gouv.fr's for trials: https://demo.data.gouv.fr/api/1) */
  readonly apiUrl?: string | undefined;
  /** The dataset to update; else `organization`'s dataset titled `title`, made when missing. */
  readonly datasetId?: string | undefined;
  /** The organisation's id or slug. */
  readonly organization?: string | undefined;
  readonly title: string;
  readonly description: string;
  /** How often it is updated, in data.gouv.fr's words: "weekly", "daily"… */
  readonly frequency: string;
  /** The first and last version dates (ISO 8601), when there are versions. */
  readonly coverage?: { readonly start: string; readonly end: string } | undefined;
  readonly file: string;
}

interface Dataset {
  readonly id: string;
  readonly title: string;
  readonly page: string;
  readonly resources?: readonly { readonly id: string }[];
}

const LICENSE = 'odc-odbl';

export async function publishOnDataGouv(options: DataGouvOptions): Promise<string> {
  if (options.datasetId === undefined && options.organization === undefined) {
    throw new ReleaseError('data.gouv.fr: set datagouvDatasetId, or datagouvOrganization to find or make the dataset by its title');
  }
  const base = (options.apiUrl ?? DATAGOUV_API_URL).replace(/\/+$/, '');
  const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const isForm = body instanceof FormData;
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { 'x-api-key': options.apiKey, accept: 'application/json', ...(body !== undefined && !isForm && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { body: isForm ? body : JSON.stringify(body) }),
    });
    if (!response.ok) {
      const text = (await response.text().catch(() => '')).slice(0, 200);
      throw new ReleaseError(`data.gouv.fr: ${method} ${route} answered HTTP ${String(response.status)}${text ? `: ${text}` : ''}`);
    }
    return (await response.json()) as T;
  };
  const metadata = {
    title: options.title,
    description: options.description,
    license: LICENSE,
    frequency: options.frequency,
    ...(options.coverage && { temporal_coverage: options.coverage }),
  };
  let dataset: Dataset;
  if (options.datasetId !== undefined) {
    dataset = await call<Dataset>('GET', `/datasets/${encodeURIComponent(options.datasetId)}/`);
  } else {
    const organization = await call<{ id: string }>('GET', `/organizations/${encodeURIComponent(options.organization ?? '')}/`);
    const existing = await call<{ data: Dataset[] }>('GET', `/organizations/${encodeURIComponent(organization.id)}/datasets/?page_size=100`);
    dataset = existing.data.find(candidate => candidate.title === options.title) ?? (await call<Dataset>('POST', '/datasets/', { ...metadata, organization: { id: organization.id } }));
  }
  await call('PUT', `/datasets/${dataset.id}/`, metadata);
  const form = new FormData();
  const fileName = path.basename(options.file);
  form.append('file', new Blob([await readFile(options.file)], { type: 'application/zip' }), fileName);
  const resourceId = dataset.resources?.[0]?.id;
  const uploaded = await call<{ id: string }>('POST', resourceId === undefined ? `/datasets/${dataset.id}/upload/` : `/datasets/${dataset.id}/resources/${resourceId}/upload/`, form);
  await call('PUT', `/datasets/${dataset.id}/resources/${uploaded.id}/`, {
    title: fileName,
    description: 'The README.md inside the archive describes its layout and how to use it.',
    filetype: 'file',
    format: 'zip',
    mime: 'application/zip',
  });
  return dataset.page;
}
