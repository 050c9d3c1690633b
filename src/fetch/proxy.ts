// An outgoing proxy, as the HTTP_PROXY, HTTPS_PROXY and NO_PROXY variables describe it, for plain fetches (an undici
// ProxyAgent given to fetch, which tunnels with CONNECT) and for the browser (Chromium's own proxy settings). Both
// proxy the same hosts: every one but those NO_PROXY names, loopback included (Chromium leaves it out unless told).
import { type Dispatcher, ProxyAgent } from 'undici';

export interface ProxySettings {
  /** The proxy of http:// URLs. */
  readonly http?: string | undefined;
  /** The proxy of https:// URLs (the http one when unset). */
  readonly https?: string | undefined;
  /** Hosts reached directly: comma-separated names (their subdomains too), `.domain` suffixes, `host:port`, or `*`. */
  readonly noProxy?: string | undefined;
}

export function hasProxy(proxy: ProxySettings | undefined): proxy is ProxySettings {
  return Boolean(proxy?.http || proxy?.https);
}

/** Whether NO_PROXY sends this URL straight to its host, as curl reads NO_PROXY. */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return (noProxy ?? '')
    .split(/[,\s]+/)
    .map(entry => entry.trim().toLowerCase())
    .filter(entry => entry !== '')
    .some(entry => {
      if (entry === '*') return true;
      const [name = '', entryPort] = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(entry)?.slice(1) ?? [];
      if (entryPort !== undefined && entryPort !== port) return false;
      const domain = name.replace(/^\*?\./, '');
      return host === domain || host.endsWith(`.${domain}`);
    });
}

const agents = new Map<string, Dispatcher>();

/** The dispatcher of a URL: a proxy agent (one per proxy, kept for its connections), or undefined to go direct. */
export function proxyDispatcherFor(url: string, proxy: ProxySettings): Dispatcher | undefined {
  const parsed = new URL(url);
  const server = parsed.protocol === 'https:' ? proxy.https || proxy.http : proxy.http;
  if (!server || bypassesProxy(parsed, proxy.noProxy)) return undefined;
  let agent = agents.get(server);
  if (!agent) {
    agent = new ProxyAgent(server);
    agents.set(server, agent);
  }
  return agent;
}

/** Playwright's proxy option for Chromium, whose bypass rules match a bare name exactly: its subdomains are added. */
export function browserProxy(proxy: ProxySettings): { server: string; bypass: string } {
  const entries = (proxy.noProxy ?? '')
    .split(/[,\s]+/)
    .map(entry => entry.trim())
    .filter(entry => entry !== '')
    .flatMap(entry => (/^[.*[]|^[\d.:]+$/.test(entry) ? [entry] : [entry, `.${entry}`]));
  return { server: (proxy.https || proxy.http) as string, bypass: ['<-loopback>', ...entries].join(',') };
}
