import { describe, expect, it } from 'vitest';

import { browserProxy, bypassesProxy, proxyDispatcherFor } from '../../../src/fetch/proxy.js';

describe('NO_PROXY', () => {
  it.each([
    ['https://example.com/terms', 'example.com', true],
    ['https://www.example.com/terms', 'example.com', true],
    ['https://www.example.com/terms', '.example.com', true],
    ['https://example.com/terms', '.example.com', true],
    ['https://notexample.com/terms', 'example.com', false],
    ['http://127.0.0.1:8080/', '127.0.0.1', true],
    ['http://127.0.0.1:8080/', '127.0.0.1:8080', true],
    ['http://127.0.0.1:8080/', '127.0.0.1:9090', false],
    ['https://example.org/', 'example.com, *', true],
    ['https://example.org/', '', false],
    ['http://[::1]:3000/', '[::1]', true],
  ])('%s with NO_PROXY="%s": direct %s', (url, noProxy, isDirect) => {
    expect(bypassesProxy(new URL(url), noProxy)).toBe(isDirect);
  });

  it('goes direct, or through the proxy of the scheme (the http one for https when alone)', () => {
    expect(proxyDispatcherFor('https://example.com/', { http: 'http://proxy:3128', noProxy: 'example.com' })).toBeUndefined();
    expect(proxyDispatcherFor('https://example.org/', { http: 'http://proxy:3128' })).toBeDefined();
    expect(proxyDispatcherFor('http://example.org/', { https: 'http://proxy:3128' })).toBeUndefined();
    expect(browserProxy({ http: 'http://proxy:3128', noProxy: 'example.com,.internal,127.0.0.1' })).toEqual({ server: 'http://proxy:3128', bypass: '<-loopback>,example.com,.example.com,.internal,127.0.0.1' });
  });
});
