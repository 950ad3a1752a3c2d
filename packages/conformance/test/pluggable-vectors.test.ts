import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { runConformance, type ConformancePluggableSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** the plug-point vectors judge the real codec use, ARL parser and layout templates, and catch an SDK that ignores the vendor codec, reads an unknown ARL answer as positive, or claims a CERFA. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const load = (path: string): VectorSource => ({ path, json: JSON.parse(readFileSync(`${dir}${path}`, 'utf8')) as VectorFile });
const files = [load('scor/pluggable.json'), load('form/layout-templates.json')];
const readFixture = async (path: string) => new Uint8Array(readFileSync(`${dir}${path}`));
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));
const tests = files.flatMap((f) => (f.json as VectorFile).testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, file: f.path, type: g.type }))));
const ids = (pick: (t: (typeof tests)[number]) => boolean) => tests.filter(pick).map((t) => `${t.file}#${t.tcId}`);
const failed = (report: Awaited<ReturnType<typeof runConformance>>) => report.tests.filter((t) => t.outcome === 'failed').map((t) => `${t.file}#${t.tcId}`);

const real = createPackagesSdk().pluggable as ConformancePluggableSdk;
/** The deliberately broken packer: it drops the vendor codec and always writes its own ZIP. */
const ownCodecOnly: ConformancePluggableSdk = { ...real, packLot: (d, { codec: _ignored, ...rest }) => real.packLot(d, rest) };
/** The deliberately broken ARL parser: a lenient reader that takes anything but an explicit "negative" as positive. */
const lenientArl: ConformancePluggableSdk = {
  ...real,
  parseArl: (message) => {
    try {
      return real.parseArl(message);
    } catch {
      return { positive: !new TextDecoder().decode(message).includes('"negative"') };
    }
  },
};
/** The deliberately broken layouts: the SDK claims a CERFA number it cannot know. */
const claimsCerfa: ConformancePluggableSdk = { ...real, builtinLayouts: () => real.builtinLayouts().map((l) => ({ ...l, cerfa: '11390*04' })) };

describe('test-vectors/scor/pluggable.json and form/layout-templates.json', () => {
  it('have at least 6 vectors, at least half negative, all X-4, each plug point present', () => {
    expect(tests.length).toBeGreaterThanOrEqual(6);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    expect(tests.every((t) => t.requirements.includes('X-4'))).toBe(true);
    expect([...new Set(tests.map((t) => t.type))]).toEqual(['lot-codec', 'arl-parse', 'layout-template']);
  });

  it('the real plug points of @s3404/scor and @s3404/form pass every vector', async () => {
    const report = await runConformance({ sdk: { pluggable: real }, files, now, readFixture });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.file}#${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['X-4']?.verdict).toBe('passed');
  }, 60_000);

  it('a packer that ignores the vendor codec fails exactly the vendor-codec vectors, and X-4', async () => {
    const report = await runConformance({ sdk: { pluggable: ownCodecOnly }, files, now, readFixture });
    const vendor = ids(
      (t) => t.type === 'lot-codec' && (t.input as { codec?: unknown }).codec !== undefined && t.flags.includes('VENDOR') && t.result === 'valid',
    );
    expect(vendor).toHaveLength(2);
    const malformed = ids((t) => t.type === 'lot-codec' && t.flags.includes('MALFORMED'));
    expect(failed(report)).toEqual([...vendor, ...malformed]);
    expect(report.requirements['X-4']?.verdict).toBe('failed');
  }, 60_000);

  it('a lenient ARL parser fails exactly the messages that never say negative', async () => {
    const report = await runConformance({ sdk: { pluggable: lenientArl }, files, now, readFixture });
    expect(failed(report)).toEqual(ids((t) => t.type === 'arl-parse' && t.result === 'invalid'));
  });

  it('built-in layouts that claim a CERFA fail exactly the built-in vectors', async () => {
    const report = await runConformance({ sdk: { pluggable: claimsCerfa }, files, now, readFixture });
    expect(failed(report)).toEqual(ids((t) => t.type === 'layout-template' && 'builtin' in (t.input as object)));
  });

  it('without a pluggable area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now, readFixture });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});
