import { describe, expect, it } from 'vitest';

import { checkDestination, isPublicAddress } from '../../../src/fetch/destination.js';

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false], // cloud metadata endpoints
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::', false],
    ['fd00:ec2::254', false],
    ['fe80::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not an address', false],
  ])('%s → %s', (address, isPublic) => {
    expect(isPublicAddress(address)).toBe(isPublic);
  });
});

describe('checkDestination', () => {
  it('refuses schemes other than http and https, naming the redirect that led there', async () => {
    await expect(checkDestination('file:///etc/passwd', { refusePrivateAddresses: false })).rejects.toThrow("Fetch failed: Refused to fetch 'file:///etc/passwd': only http and https URLs are fetched");
    await expect(checkDestination('file:///etc/passwd', { refusePrivateAddresses: false }, 'https://acme.example/tos')).rejects.toThrow(
      "Refused to fetch 'https://acme.example/tos': only http and https URLs are fetched (redirected to file:///etc/passwd)",
    );
    await expect(checkDestination('http://127.0.0.1/', { refusePrivateAddresses: false })).resolves.toBeUndefined();
  });

  it('refuses hosts that are, or resolve to, addresses that are not public, when asked to', async () => {
    await expect(checkDestination('http://169.254.169.254/latest/meta-data/', { refusePrivateAddresses: true })).rejects.toThrow('169.254.169.254 is 169.254.169.254, an address that is not public (refusePrivateAddresses is on)');
    await expect(checkDestination('http://[::1]:8080/', { refusePrivateAddresses: true })).rejects.toThrow('::1 is ::1');
    await expect(checkDestination('http://localhost/', { refusePrivateAddresses: true })).rejects.toThrow(/localhost is (127\.0\.0\.1|::1), an address that is not public/);
  });
});
