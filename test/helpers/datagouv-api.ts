// A local server answering the routes of data.gouv.fr's API (v1) that OTA's publisher calls (and ours, the same):
// organisations and their datasets, dataset metadata, resource uploads; in memory, for the tests to read and seed.
import { type ApiReply, type ApiRequest, formFile, type JsonApi, startJsonApi } from './json-api.js';

export interface DataGouvDataset {
  id: string;
  title: string;
  organization: string;
  page: string;
  metadata: Record<string, unknown>;
  resources: { id: string; title: string; fileName: string; bytes: Buffer; metadata: Record<string, unknown> }[];
}

export interface DataGouvApi extends JsonApi {
  readonly datasets: DataGouvDataset[];
}

/** Serves organisation `slug` (id "org-1") to requests with the X-API-KEY `key`. */
export async function startDataGouvApi(slug: string, key: string): Promise<DataGouvApi> {
  const datasets: DataGouvDataset[] = [];
  const answer = async (request: ApiRequest): Promise<ApiReply> => {
    if (request.headers['x-api-key'] !== key) return { status: 401, body: { message: 'Invalid API Key' } };
    const route = `${request.method} ${request.path.replace(/^\/api\/1/, '')}`;
    if (route === `GET /organizations/${slug}/` || route === 'GET /organizations/org-1/') return { status: 200, body: { id: 'org-1', slug } };
    if (route === 'GET /organizations/org-1/datasets/') return { status: 200, body: { data: datasets.filter(dataset => dataset.organization === 'org-1'), page: 1, total: datasets.length } };
    if (route === 'POST /datasets/') {
      const id = `ds-${String(datasets.length + 1)}`;
      const organization = (request.json.organization as { id?: string } | undefined)?.id ?? '';
      datasets.push({ id, title: String(request.json.title), organization, page: `https://www.data.gouv.fr/fr/datasets/${id}/`, metadata: request.json, resources: [] });
      return { status: 201, body: datasets.at(-1) };
    }
    const onDataset = /^(GET|PUT|POST) \/datasets\/([^/]+)\/(?:(upload)\/|resources\/([^/]+)\/(upload\/)?)?$/.exec(route);
    const dataset = datasets.find(candidate => candidate.id === onDataset?.[2]);
    if (!onDataset || !dataset) return { status: 404, body: { message: 'Not found' } };
    const [, method, , upload, resourceId, resourceUpload] = onDataset;
    if (method === 'GET' && upload === undefined && resourceId === undefined) return { status: 200, body: dataset };
    if (method === 'PUT' && upload === undefined && resourceId === undefined) {
      Object.assign(dataset.metadata, request.json);
      if (typeof request.json.title === 'string') dataset.title = request.json.title;
      return { status: 200, body: dataset };
    }
    const file = await formFile(request.form, 'file');
    if (method === 'POST' && upload !== undefined && file) {
      dataset.resources.push({ id: `res-${String(dataset.resources.length + 1)}`, title: file.name, fileName: file.name, bytes: file.bytes, metadata: {} });
      return { status: 201, body: { id: dataset.resources.at(-1)?.id, title: file.name } };
    }
    const resource = dataset.resources.find(candidate => candidate.id === resourceId);
    if (method === 'POST' && resourceUpload !== undefined && resource && file) {
      Object.assign(resource, { fileName: file.name, bytes: file.bytes });
      return { status: 200, body: { id: resource.id, title: resource.title } };
    }
    if (method === 'PUT' && resource && resourceUpload === undefined) {
      Object.assign(resource.metadata, request.json);
      return { status: 200, body: resource };
    }
    return { status: 404, body: { message: 'Not found' } };
  };
  return Object.assign(await startJsonApi(answer), { datasets });
}
