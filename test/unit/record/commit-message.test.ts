import { describe, expect, it } from 'vitest';

import { decodeMessage, isRecordSubject, snapshotMessage, versionMessage } from '../../../src/record/git/commit-message.js';
import { parsePath, snapshotPath, versionPath } from '../../../src/record/git/file-paths.js';

const SHA1 = '0123456789abcdef0123456789abcdef01234567';
const SHA2 = 'fedcba9876543210fedcba9876543210fedcba98';
const TEMPLATE = 'https://github.com/OpenTermsArchive/demo-snapshots/commit/%SNAPSHOT_ID';

describe('commit messages', () => {
  it('writes a single-source snapshot message byte for byte', () => {
    expect(
      snapshotMessage({
        serviceId: 'Open Collective',
        termsType: 'Privacy Policy',
        documentId: '',
        isFirstRecord: false,
        isTechnicalUpgrade: false,
        metadata: { 'x-engine-version': '15.1.0', 'x-fetcher': 'htmlOnly', 'x-source-document-location': 'https://opencollective.com/privacypolicy' },
      }),
    ).toBe(
      'Record new changes of Open Collective Privacy Policy\n\nX-engine-version: 15.1.0\nX-fetcher: htmlOnly\nX-source-document-location: https://opencollective.com/privacypolicy\n',
    );
  });

  it('writes the document ID paragraph of a combined terms snapshot', () => {
    expect(
      snapshotMessage({
        serviceId: 'Llama API',
        termsType: 'Privacy Policy',
        documentId: 'privacy-policy-printable',
        isFirstRecord: true,
        isTechnicalUpgrade: false,
        metadata: { 'x-source-document-location': 'https://mbasic.facebook.com/privacy/policy/printable/', 'x-fetcher': 'fullDom', 'x-engine-version': '15.1.0' },
      }),
    ).toBe(
      'First record of Llama API Privacy Policy\n\nDocument ID privacy-policy-printable\n\nX-engine-version: 15.1.0\nX-fetcher: fullDom\nX-source-document-location: https://mbasic.facebook.com/privacy/policy/printable/\n',
    );
  });

  it('writes single and multi-source version messages', () => {
    expect(
      versionMessage({
        serviceId: 'UptimeRobot',
        termsType: 'Terms of Service',
        isFirstRecord: false,
        isTechnicalUpgrade: false,
        snapshotIds: [SHA1],
        metadata: { 'x-engine-version': '14.0.0' },
        snapshotIdentifierTemplate: TEMPLATE,
      }),
    ).toBe(
      `Record new changes of UptimeRobot Terms of Service\n\nThis version was recorded after extracting from snapshot https://github.com/OpenTermsArchive/demo-snapshots/commit/${SHA1}\n\nX-engine-version: 14.0.0\n`,
    );
    expect(
      versionMessage({
        serviceId: 'Claude.ai',
        termsType: 'Privacy Policy',
        isFirstRecord: false,
        isTechnicalUpgrade: false,
        snapshotIds: [SHA1, SHA2],
        metadata: { 'x-engine-version': '15.1.0' },
        snapshotIdentifierTemplate: TEMPLATE,
      }),
    ).toBe(
      `Record new changes of Claude.ai Privacy Policy\n\nThis version was recorded after extracting from and assembling the following snapshots from 2 source documents:\n- ${TEMPLATE.replace('%SNAPSHOT_ID', SHA1)}\n- ${TEMPLATE.replace('%SNAPSHOT_ID', SHA2)}\n\nX-engine-version: 15.1.0\n`,
    );
  });

  it('says "First record of" even for a technical upgrade creating the first version, and upgrade otherwise', () => {
    const base = { serviceId: 'A', termsType: 'Imprint', snapshotIds: [SHA1], metadata: {}, snapshotIdentifierTemplate: '%SNAPSHOT_ID' };
    expect(versionMessage({ ...base, isFirstRecord: true, isTechnicalUpgrade: true })).toBe(
      `First record of A Imprint\n\nThis version was recorded after extracting from snapshot ${SHA1}\n`,
    );
    expect(versionMessage({ ...base, isFirstRecord: false, isTechnicalUpgrade: true }).split('\n')[0]).toBe('Apply technical or declaration upgrade on A Imprint');
  });

  it('round-trips what it writes', () => {
    const message = versionMessage({
      serviceId: 'Claude.ai',
      termsType: 'Privacy Policy',
      isFirstRecord: true,
      isTechnicalUpgrade: false,
      snapshotIds: [SHA1, SHA2],
      metadata: { 'x-engine-version': '0.1.0' },
      snapshotIdentifierTemplate: TEMPLATE,
    });
    const [subject = '', ...rest] = message.split('\n');
    expect(decodeMessage(subject, rest.join('\n'))).toEqual({
      isFirstRecord: true,
      isTechnicalUpgrade: false,
      snapshotIds: [SHA1, SHA2],
      metadata: { 'x-engine-version': '0.1.0' },
    });
  });

  it('decodes OTA\'s legacy subjects and bodies', () => {
    expect(decodeMessage('Start tracking Foo Terms of Service', `This version was recorded after filtering snapshot https://x/commit/${SHA1}`)).toEqual({
      isFirstRecord: true,
      isTechnicalUpgrade: false,
      snapshotIds: [SHA1],
      metadata: {},
    });
    expect(decodeMessage('Refilter Foo Terms of Service', `This version was recorded after filtering snapshot ${SHA2}`)).toMatchObject({
      isTechnicalUpgrade: true,
      snapshotIds: [SHA2],
    });
    expect(isRecordSubject('Update Foo Terms of Service')).toBe(true);
    expect(isRecordSubject('Updated README')).toBe(false);
    expect(isRecordSubject('Merge Update stuff')).toBe(false);
  });

  it('parses trailers from the last paragraph only, keys lower-cased, empty values skipped', () => {
    const body = 'Document ID x: y\n\nX-engine-version: 15.1.0\nX-fetcher: fullDom\nX-empty: \nnot a trailer\nBad key!: v';
    expect(decodeMessage('Record new changes of A B', body).metadata).toEqual({ 'x-engine-version': '15.1.0', 'x-fetcher': 'fullDom' });
  });
});

describe('file paths', () => {
  it('follows OTA\'s layout', () => {
    expect(snapshotPath('svc', 'Terms of Service', '', 'text/html; charset=utf-8')).toBe('svc/Terms of Service.html');
    expect(snapshotPath('svc', 'Terms of Service', 'legal-terms', 'text/html')).toBe('svc/Terms of Service #legal-terms.html');
    expect(snapshotPath('svc', 'Terms of Service', '', 'application/pdf')).toBe('svc/Terms of Service.pdf');
    expect(snapshotPath('service·A', 'Imprint', '', 'text/plain')).toBe('service·A/Imprint.txt');
    expect(versionPath('npm Public Registry', 'Terms of Service')).toBe('npm Public Registry/Terms of Service.md');
  });

  it('decodes paths, splitting the document ID on the first " #"', () => {
    expect(parsePath('Llama API/Privacy Policy #privacy-policy-printable.html')).toEqual({
      serviceId: 'Llama API',
      termsType: 'Privacy Policy',
      documentId: 'privacy-policy-printable',
      extension: 'html',
    });
    expect(parsePath('README.md')).toBeUndefined();
    expect(parsePath('.github/workflows/x.yml')).toBeUndefined();
  });
});
