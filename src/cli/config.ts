// Configuration is read here, once. Precedence, highest first:
//   command-line options > environment variables > config file > defaults.
// The config file is `terms-archive.config.json` in the collection folder, or the one given by --config.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import { DEFAULT_FETCH_OPTIONS, DEFAULT_MAX_RESPONSE_BYTES, parseLanguages } from '../fetch/index.js';
import { DEFAULT_BROWSER_PAGES, DEFAULT_CONCURRENCY } from '../track/index.js';
import { describeBounds, parseWholeNumber } from '../whole-number.js';
import { UsageError } from './errors.js';

export interface Config {
  /** The collection folder: declarations and the two repositories are found relative to it. */
  readonly collectionDir: string;
  readonly declarationsDir: string;
  readonly snapshotsDir: string;
  readonly versionsDir: string;
  /** Where confirmed changes that look like something other than the terms are held (beside the versions). */
  readonly quarantineDir: string;
  readonly languages: readonly string[];
  readonly navigationTimeoutMs: number;
  readonly waitForElementsTimeoutMs: number;
  readonly userAgent: string;
  /** A Chromium to use for pages that need scripts; found automatically when absent. */
  readonly chromiumPath: string | undefined;
  readonly snapshotIdentifierTemplate: string;
  readonly authorName: string;
  /** The web archive `backfill` asks (its CDX API and raw captures). */
  readonly webArchiveUrl: string;
  readonly authorEmail: string;
  /** Terms tracked at the same time. */
  readonly concurrency: number;
  /** Requests in flight to one host. */
  readonly perHostConcurrency: number;
  /** Pause between two requests to one host, in ms. */
  readonly hostDelayMs: number;
  /** Browser pages open at the same time. */
  readonly browserPages: number;
  /** ws:// endpoints of remote browser servers; when set, no local browser is started. */
  readonly browserEndpoints: readonly string[];
  /** Ask servers whether a page changed (ETag, Last-Modified) before downloading it again. */
  readonly conditionalRequests: boolean;
  /** URLs that receive a JSON POST for each new version. */
  readonly webhooks: readonly string[];
  /** Alert subscriptions (publish/alerts/subscription.ts), as written: checked with their secrets by the command. */
  readonly alerts: readonly unknown[];
  /** The public address `serve` is reached at, for the links of alerts (`<publicUrl>/changes/…`). */
  readonly publicUrl: string | undefined;
  /** The alternate link of feed entries, `%VERSION_ID` replaced by the version SHA (e.g. a commit page). */
  readonly feedVersionUrlTemplate: string | undefined;
  /** Refuse fetches (and redirects, and a page's own requests) to addresses that are not public. */
  readonly refusePrivateAddresses: boolean;
  /** The most bytes a response may hold, decompressed. */
  readonly maxResponseBytes: number;
  /** How long extracting a document may take when its service's own filters run. */
  readonly filterTimeoutMs: number;
  /** Fetches at most to confirm a change (1: record changes as first seen). */
  readonly confirmFetches: number;
  /** The least time between two fetches of a terms that looks changed. */
  readonly confirmDelayMs: number;
  /** Hold a text shorter than this percentage of the latest version's (0: never). */
  readonly holdShrinkBelowPercent: number;
  /** Hold a text equal to a version recorded within this many days, other than the latest (0: never). */
  readonly holdFlappingDays: number;
  /** Hold a text in another language than the latest version's. */
  readonly holdLanguageSwitch: boolean;
  /** Hold a short text that reads like a wall, an error or a maintenance page. */
  readonly holdWalls: boolean;
  /** Renaming rules applied by `dataset`, in OTA's format: a folder of rule files or one JSON file. */
  readonly datasetRenamingRules: string | undefined;
  /** Where the snapshots repository is pushed after each pass (no credentials in it: they come from the environment). */
  readonly snapshotsRemote: string | undefined;
  /** Where the versions repository is pushed after each pass. */
  readonly versionsRemote: string | undefined;
  /** Attempts of a push before it is reported failed. */
  readonly pushAttempts: number;
  /** The wait before a push's second attempt, doubled before each next one. */
  readonly pushBackoffMs: number;
  /** The outgoing proxy of http:// pages (HTTP_PROXY). */
  readonly httpProxy: string | undefined;
  /** The outgoing proxy of https:// pages (HTTPS_PROXY; the http one when unset). */
  readonly httpsProxy: string | undefined;
  /** Hosts reached without the proxy (NO_PROXY). */
  readonly noProxy: string | undefined;
  /** Where tracking writes its status after each pass, and `serve` reads it for GET /health. */
  readonly statusFile: string;
  /** Origins allowed to read `serve`'s API from a browser (CORS): `*`, a list, or none. */
  readonly corsOrigins: readonly string[];
  /** Run `git gc --auto` on both repositories after each pass. */
  readonly compactRepositories: boolean;
  /** GET /health answers 503 when no pass ended for this many hours. */
  readonly healthStaleHours: number;
  /** Who receives the run reports by email (none: no email). */
  readonly emailTo: readonly string[];
  /** The sender of the reports (default: authorEmail). */
  readonly emailFrom: string | undefined;
  /** 'problems': a report when a pass needs a look; 'always': after every pass. */
  readonly emailWhen: 'problems' | 'always';
  readonly smtpHost: string;
  readonly smtpPort: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  readonly smtpSecure: boolean;
  /** `owner/repo` where `dataset --publish` makes a release. */
  readonly githubRepository: string | undefined;
  /** GitHub's API (another for GitHub Enterprise). */
  readonly githubApiUrl: string;
  /** `owner/repo` of the declarations, where inaccessible terms are reported as issues. */
  readonly issuesRepository: string | undefined;
  /** Whether `issuesRepository` is on GitHub or on GitLab (`gitlabUrl`). */
  readonly issuesPlatform: 'github' | 'gitlab';
  /** The GitLab instance (its API is under /api/v4). */
  readonly gitlabUrl: string;
  /** `group/project` where `dataset --publish` makes a GitLab release. */
  readonly gitlabRepository: string | undefined;
  /** The data.gouv.fr dataset that `dataset --publish` updates. */
  readonly datagouvDatasetId: string | undefined;
  /** The data.gouv.fr organisation (id or slug) whose dataset, titled with the collection's name, is updated or made. */
  readonly datagouvOrganization: string | undefined;
  /** The dataset's update frequency, in data.gouv.fr's words. */
  readonly datagouvFrequency: string;
  /** data.gouv.fr's API (demo.data.gouv.fr's for trials). */
  readonly datagouvApiUrl: string;
  /** API calls at most per pass for issues. */
  readonly reporterMaxCalls: number;
}

/** One setting: its key in the config file, its environment variable, and how to read a string of it. */
interface Setting {
  readonly key: keyof Config;
  readonly env: string;
  readonly parse: (value: string, source: string) => unknown;
  readonly description: string;
}

const text = (value: string): string => value;
const list = (value: string, source: string): string[] => {
  try {
    return parseLanguages(value);
  } catch (error) {
    throw new UsageError(`${source}: ${(error as Error).message}`);
  }
};
/** A JSON list (alert subscriptions), as the environment gives it. */
const jsonList = (value: string, source: string): readonly unknown[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new UsageError(`${source}: not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new UsageError(`${source}: expected a JSON list`);
  return parsed;
};
const publicUrl = (value: string, source: string): string => {
  if (!/^https?:\/\/[^/\s]+/.test(value)) throw new UsageError(`${source}: "${value}" is not an absolute http(s) URL`);
  return value;
};
/** `*`, `none`, or comma-separated origins (`https://example.org`). */
const corsOrigins = (value: string, source: string): readonly string[] => {
  if (value.trim() === 'none') return [];
  const origins = value.split(',').map(origin => origin.trim()).filter(origin => origin !== '');
  for (const origin of origins) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) throw new UsageError(`${source}: "${origin}" is not an origin (e.g. https://example.org), * or none`);
  }
  return origins;
};
const yesOrNo = (value: string, source: string): boolean => {
  if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
  throw new UsageError(`${source}: expected true or false, got "${value}"`);
};
/** A parser of whole numbers of at least `minimum`, whose errors say what the number counts. */
const wholeNumber =
  (minimum: number, what: string, maximum?: number) =>
  (value: string, source: string): number => {
    const bounds = { minimum, ...(maximum !== undefined && { maximum }) };
    const number = parseWholeNumber(value, bounds);
    if (number === undefined) throw new UsageError(`${source}: expected ${what} (${describeBounds(bounds)}), got "${value}"`);
    return number;
  };
const milliseconds = wholeNumber(1, 'milliseconds');
const count = wholeNumber(1, 'a count');
const delay = wholeNumber(0, 'milliseconds');
/** A parser of comma-separated URLs whose scheme matches `scheme`; `what` names them in errors. */
const urlList =
  (scheme: RegExp, what: string) =>
  (value: string, source: string): string[] => {
    const urls = value.split(',').map(url => url.trim()).filter(url => url !== '');
    for (const url of urls) {
      if (!scheme.test(url)) throw new UsageError(`${source}: "${url}" is not ${what}`);
    }
    return urls;
  };
/** A git remote: an URL or `user@host:path`, never with a password or token in it. */
const remote = (value: string, source: string): string => {
  if (/^\w+:\/\/[^/@]*:[^/@]*@/.test(value)) {
    throw new UsageError(`${source}: a remote must not hold a password or token: give it in TERMS_ARCHIVE_GIT_TOKEN (HTTPS) or use an SSH key`);
  }
  return value;
};
const proxyUrl = (value: string, source: string): string => {
  if (!/^https?:\/\/[^/]+/.test(value)) throw new UsageError(`${source}: "${value}" is not a proxy URL such as http://proxy.example:3128`);
  return value;
};
export const parseEndpoints = urlList(/^wss?:\/\//, 'a ws:// or wss:// endpoint');
const parseWebhooks = urlList(/^https?:\/\//, 'an http:// or https:// URL');
const addresses = (value: string, source: string): string[] => {
  const list = value.split(',').map(address => address.trim()).filter(address => address !== '');
  for (const address of list) if (!/^[^\s@]+@[^\s@]+$/.test(address)) throw new UsageError(`${source}: "${address}" is not an email address`);
  return list;
};
const oneOf =
  (choices: readonly string[]) =>
  (value: string, source: string): string => {
    if (!choices.includes(value)) throw new UsageError(`${source}: expected ${choices.join(' or ')}, got "${value}"`);
    return value;
  };
const PROXY_VARIABLES = new Set(['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']);

export const SETTINGS: readonly Setting[] = [
  { key: 'declarationsDir', env: 'TERMS_ARCHIVE_DECLARATIONS', parse: text, description: 'declarations folder' },
  { key: 'snapshotsDir', env: 'TERMS_ARCHIVE_SNAPSHOTS', parse: text, description: 'snapshots repository' },
  { key: 'versionsDir', env: 'TERMS_ARCHIVE_VERSIONS', parse: text, description: 'versions repository' },
  { key: 'quarantineDir', env: 'TERMS_ARCHIVE_QUARANTINE', parse: text, description: 'held versions' },
  { key: 'languages', env: 'TERMS_ARCHIVE_LANGUAGE', parse: list, description: 'Accept-Language tags' },
  { key: 'navigationTimeoutMs', env: 'TERMS_ARCHIVE_NAVIGATION_TIMEOUT_MS', parse: milliseconds, description: 'fetch timeout' },
  {
    key: 'waitForElementsTimeoutMs',
    env: 'TERMS_ARCHIVE_WAIT_FOR_ELEMENTS_TIMEOUT_MS',
    parse: milliseconds,
    description: 'browser wait for selectors',
  },
  { key: 'userAgent', env: 'TERMS_ARCHIVE_USER_AGENT', parse: text, description: 'User-Agent of plain fetches' },
  { key: 'chromiumPath', env: 'CHROMIUM_PATH', parse: text, description: 'Chromium executable' },
  {
    key: 'snapshotIdentifierTemplate',
    env: 'TERMS_ARCHIVE_SNAPSHOT_ID_TEMPLATE',
    parse: text,
    description: 'snapshot reference in version messages',
  },
  { key: 'authorName', env: 'TERMS_ARCHIVE_AUTHOR_NAME', parse: text, description: 'commit author name' },
  { key: 'webArchiveUrl', env: 'TERMS_ARCHIVE_WEB_ARCHIVE_URL', parse: text, description: 'web archive of backfill' },
  { key: 'authorEmail', env: 'TERMS_ARCHIVE_AUTHOR_EMAIL', parse: text, description: 'commit author email' },
  { key: 'concurrency', env: 'TERMS_ARCHIVE_CONCURRENCY', parse: count, description: 'terms tracked at once' },
  { key: 'perHostConcurrency', env: 'TERMS_ARCHIVE_PER_HOST', parse: count, description: 'requests at once per host' },
  { key: 'hostDelayMs', env: 'TERMS_ARCHIVE_HOST_DELAY_MS', parse: delay, description: 'pause between requests to a host' },
  { key: 'browserPages', env: 'TERMS_ARCHIVE_BROWSER_PAGES', parse: count, description: 'browser pages at once' },
  { key: 'browserEndpoints', env: 'TERMS_ARCHIVE_BROWSER_ENDPOINTS', parse: parseEndpoints, description: 'remote browsers' },
  { key: 'webhooks', env: 'TERMS_ARCHIVE_WEBHOOKS', parse: parseWebhooks, description: 'URLs told of each new version' },
  { key: 'alerts', env: 'TERMS_ARCHIVE_ALERTS', parse: jsonList, description: 'alert subscriptions (JSON)' },
  { key: 'publicUrl', env: 'TERMS_ARCHIVE_PUBLIC_URL', parse: publicUrl, description: 'the public address of serve' },
  { key: 'feedVersionUrlTemplate', env: 'TERMS_ARCHIVE_FEED_VERSION_URL', parse: text, description: 'feed entry links' },
  { key: 'confirmFetches', env: 'TERMS_ARCHIVE_CONFIRM_FETCHES', parse: count, description: 'fetches to confirm a change' },
  { key: 'confirmDelayMs', env: 'TERMS_ARCHIVE_CONFIRM_DELAY_MS', parse: delay, description: 'time between confirming fetches' },
  { key: 'holdShrinkBelowPercent', env: 'TERMS_ARCHIVE_HOLD_SHRINK_BELOW_PERCENT', parse: wholeNumber(0, 'a percentage', 100), description: 'hold texts that shrank below' },
  { key: 'holdFlappingDays', env: 'TERMS_ARCHIVE_HOLD_FLAPPING_DAYS', parse: wholeNumber(0, 'days'), description: 'hold texts flipping back within' },
  { key: 'holdLanguageSwitch', env: 'TERMS_ARCHIVE_HOLD_LANGUAGE_SWITCH', parse: yesOrNo, description: 'hold texts in another language' },
  { key: 'holdWalls', env: 'TERMS_ARCHIVE_HOLD_WALLS', parse: yesOrNo, description: 'hold walls, error and maintenance pages' },
  { key: 'snapshotsRemote', env: 'TERMS_ARCHIVE_SNAPSHOTS_REMOTE', parse: remote, description: 'where snapshots are pushed' },
  { key: 'versionsRemote', env: 'TERMS_ARCHIVE_VERSIONS_REMOTE', parse: remote, description: 'where versions are pushed' },
  { key: 'pushAttempts', env: 'TERMS_ARCHIVE_PUSH_ATTEMPTS', parse: count, description: 'attempts of a push' },
  { key: 'pushBackoffMs', env: 'TERMS_ARCHIVE_PUSH_BACKOFF_MS', parse: delay, description: 'wait before retrying a push' },
  { key: 'httpProxy', env: 'HTTP_PROXY', parse: proxyUrl, description: 'proxy of http:// pages' },
  { key: 'httpsProxy', env: 'HTTPS_PROXY', parse: proxyUrl, description: 'proxy of https:// pages' },
  { key: 'noProxy', env: 'NO_PROXY', parse: text, description: 'hosts reached without the proxy' },
  { key: 'statusFile', env: 'TERMS_ARCHIVE_STATUS_FILE', parse: text, description: 'status of the last pass' },
  { key: 'corsOrigins', env: 'TERMS_ARCHIVE_CORS_ORIGINS', parse: corsOrigins, description: 'origins that may read the API' },
  { key: 'compactRepositories', env: 'TERMS_ARCHIVE_COMPACT_REPOSITORIES', parse: yesOrNo, description: 'git gc --auto after each pass' },
  { key: 'healthStaleHours', env: 'TERMS_ARCHIVE_HEALTH_STALE_HOURS', parse: count, description: 'hours without a pass before /health fails' },
  { key: 'emailTo', env: 'TERMS_ARCHIVE_EMAIL_TO', parse: addresses, description: 'who receives run reports' },
  { key: 'emailFrom', env: 'TERMS_ARCHIVE_EMAIL_FROM', parse: text, description: 'sender of run reports' },
  { key: 'emailWhen', env: 'TERMS_ARCHIVE_EMAIL_WHEN', parse: oneOf(['problems', 'always']), description: 'when a report is sent' },
  { key: 'smtpHost', env: 'TERMS_ARCHIVE_SMTP_HOST', parse: text, description: 'SMTP server' },
  { key: 'smtpPort', env: 'TERMS_ARCHIVE_SMTP_PORT', parse: wholeNumber(1, 'a port', 65_535), description: 'SMTP port' },
  { key: 'smtpSecure', env: 'TERMS_ARCHIVE_SMTP_SECURE', parse: yesOrNo, description: 'SMTP over TLS from the start' },
  { key: 'githubRepository', env: 'TERMS_ARCHIVE_GITHUB_REPOSITORY', parse: text, description: 'where datasets are released' },
  { key: 'githubApiUrl', env: 'TERMS_ARCHIVE_GITHUB_API_URL', parse: text, description: "GitHub's API" },
  { key: 'issuesPlatform', env: 'TERMS_ARCHIVE_ISSUES_PLATFORM', parse: oneOf(['github', 'gitlab']), description: 'where issues are kept' },
  { key: 'gitlabUrl', env: 'TERMS_ARCHIVE_GITLAB_URL', parse: text, description: 'the GitLab instance' },
  { key: 'gitlabRepository', env: 'TERMS_ARCHIVE_GITLAB_REPOSITORY', parse: text, description: 'where datasets are released on GitLab' },
  { key: 'datagouvDatasetId', env: 'TERMS_ARCHIVE_DATAGOUV_DATASET_ID', parse: text, description: 'the data.gouv.fr dataset' },
  { key: 'datagouvOrganization', env: 'TERMS_ARCHIVE_DATAGOUV_ORGANIZATION', parse: text, description: 'the data.gouv.fr organisation' },
  { key: 'datagouvFrequency', env: 'TERMS_ARCHIVE_DATAGOUV_FREQUENCY', parse: text, description: 'the dataset update frequency' },
  { key: 'datagouvApiUrl', env: 'TERMS_ARCHIVE_DATAGOUV_API_URL', parse: text, description: "data.gouv.fr's API" },
  { key: 'issuesRepository', env: 'TERMS_ARCHIVE_ISSUES_REPOSITORY', parse: text, description: 'where inaccessible terms are reported' },
  { key: 'reporterMaxCalls', env: 'TERMS_ARCHIVE_REPORTER_MAX_CALLS', parse: count, description: 'API calls a pass for issues' },
  { key: 'datasetRenamingRules', env: 'TERMS_ARCHIVE_DATASET_RENAMING_RULES', parse: text, description: 'dataset renaming rules' },
  { key: 'filterTimeoutMs', env: 'TERMS_ARCHIVE_FILTER_TIMEOUT_MS', parse: milliseconds, description: 'time limit of filters' },
  { key: 'maxResponseBytes', env: 'TERMS_ARCHIVE_MAX_RESPONSE_BYTES', parse: wholeNumber(1024, 'bytes'), description: 'largest response kept' },
  {
    key: 'refusePrivateAddresses',
    env: 'TERMS_ARCHIVE_REFUSE_PRIVATE_ADDRESSES',
    parse: yesOrNo,
    description: 'refuse private, loopback and link-local addresses',
  },
  {
    key: 'conditionalRequests',
    env: 'TERMS_ARCHIVE_CONDITIONAL_REQUESTS',
    parse: yesOrNo,
    description: 'ask servers whether pages changed',
  },
];

export const DEFAULTS = {
  declarationsDir: 'declarations',
  snapshotsDir: 'snapshots-repo',
  versionsDir: 'versions-repo',
  quarantineDir: 'quarantine',
  languages: DEFAULT_FETCH_OPTIONS.languages,
  navigationTimeoutMs: DEFAULT_FETCH_OPTIONS.navigationTimeoutMs,
  waitForElementsTimeoutMs: DEFAULT_FETCH_OPTIONS.waitForElementsTimeoutMs,
  userAgent: DEFAULT_FETCH_OPTIONS.userAgent,
  chromiumPath: undefined,
  snapshotIdentifierTemplate: '%SNAPSHOT_ID',
  authorName: 'Terms Archive Bot',
  webArchiveUrl: 'https://web.archive.org',
  authorEmail: 'bot@terms-archive.invalid',
  concurrency: DEFAULT_CONCURRENCY,
  perHostConcurrency: 1,
  hostDelayMs: 0,
  browserPages: DEFAULT_BROWSER_PAGES,
  browserEndpoints: [],
  conditionalRequests: true,
  webhooks: [],
  alerts: [],
  publicUrl: undefined,
  feedVersionUrlTemplate: undefined,
  refusePrivateAddresses: false,
  maxResponseBytes: DEFAULT_MAX_RESPONSE_BYTES,
  filterTimeoutMs: 60_000,
  confirmFetches: 3,
  confirmDelayMs: 1000,
  holdShrinkBelowPercent: 50,
  holdFlappingDays: 30,
  holdLanguageSwitch: true,
  holdWalls: true,
  datasetRenamingRules: undefined,
  snapshotsRemote: undefined,
  versionsRemote: undefined,
  pushAttempts: 4,
  pushBackoffMs: 2000,
  httpProxy: undefined,
  httpsProxy: undefined,
  noProxy: undefined,
  statusFile: 'status.json',
  healthStaleHours: 25,
  compactRepositories: true,
  corsOrigins: ['*'],
  emailTo: [],
  emailFrom: undefined,
  emailWhen: 'problems',
  smtpHost: 'localhost',
  smtpPort: 587,
  smtpSecure: false,
  githubRepository: undefined,
  githubApiUrl: 'https://api.github.com',
  issuesRepository: undefined,
  issuesPlatform: 'github',
  gitlabUrl: 'https://gitlab.com',
  gitlabRepository: undefined,
  datagouvDatasetId: undefined,
  datagouvOrganization: undefined,
  datagouvFrequency: 'weekly',
  datagouvApiUrl: 'https://www.data.gouv.fr/api/1',
  reporterMaxCalls: 100,
} as const satisfies Omit<Config, 'collectionDir'>;

export interface ConfigSources {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Options given on the command line (already typed). */
  readonly overrides: Partial<Omit<Config, 'collectionDir'>> & { readonly collection?: string; readonly config?: string };
}

export async function loadConfig(sources: ConfigSources): Promise<Config> {
  const collectionDir = path.resolve(sources.cwd, sources.overrides.collection ?? '.');
  const folder = await stat(collectionDir).catch(() => undefined);
  if (!folder?.isDirectory()) throw new UsageError(`-C: the collection folder ${collectionDir} ${folder ? 'is not a folder' : 'does not exist'}`);
  const fileValues = await readConfigFile(collectionDir, sources.overrides.config);
  const values: Record<string, unknown> = { ...DEFAULTS, ...fileValues };
  for (const setting of SETTINGS) {
    // the proxy variables are also read in lower case, as curl and most tools read them
    const fromEnv = sources.env[setting.env] ?? (PROXY_VARIABLES.has(setting.env) ? sources.env[setting.env.toLowerCase()] : undefined);
    if (fromEnv !== undefined && fromEnv !== '') values[setting.key] = setting.parse(fromEnv, setting.env);
  }
  for (const [key, value] of Object.entries(sources.overrides)) {
    if (value !== undefined && key !== 'collection' && key !== 'config') values[key] = value;
  }
  const resolve = (value: unknown): string => path.resolve(collectionDir, String(value));
  return Object.freeze({
    ...(values as Omit<Config, 'collectionDir'>),
    collectionDir,
    declarationsDir: resolve(values.declarationsDir),
    snapshotsDir: resolve(values.snapshotsDir),
    versionsDir: resolve(values.versionsDir),
    quarantineDir: resolve(values.quarantineDir),
    statusFile: resolve(values.statusFile),
    datasetRenamingRules: values.datasetRenamingRules === undefined ? undefined : resolve(values.datasetRenamingRules),
  });
}

async function readConfigFile(collectionDir: string, explicit: string | undefined): Promise<Record<string, unknown>> {
  const file = explicit ? path.resolve(collectionDir, explicit) : path.join(collectionDir, 'terms-archive.config.json');
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new UsageError(`cannot read the config file ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${file}: expected a JSON object`);
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const setting = SETTINGS.find(candidate => candidate.key === key);
    if (!setting) throw new UsageError(`${file} › ${key}: unknown setting (known: ${SETTINGS.map(s => s.key).join(', ')})`);
    const expected = typeof DEFAULTS[setting.key as keyof typeof DEFAULTS];
    const source = `${file} › ${key}`;
    if (key === 'alerts') {
      if (!Array.isArray(value)) throw new UsageError(`${source}: expected a list of subscriptions`);
      result[key] = value;
    } else if (key === 'languages' || key === 'browserEndpoints' || key === 'webhooks' || key === 'emailTo' || key === 'corsOrigins') {
      result[key] = setting.parse(Array.isArray(value) ? value.map(String).join(',') : String(value), source);
    } else if (expected === 'number' || expected === 'boolean' ? typeof value !== expected : typeof value !== 'string') {
      throw new UsageError(`${source}: expected a ${expected === 'number' || expected === 'boolean' ? expected : 'string'}`);
    } else {
      // the same checks as the environment's (a count of at least 1, a whole number of milliseconds…)
      result[key] = setting.parse(String(value), source);
    }
  }
  return result;
}
