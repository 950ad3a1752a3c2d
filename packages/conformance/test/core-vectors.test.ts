import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '@s3404/core';
import { runConformance, type ConformanceCoreSdk, type VectorFile, type VectorSource } from '@s3404/conformance';
import { createPackagesSdk } from '@s3404/conformance/sdk';

/** the core-primitive vectors judge the real canonical JSON, base64, hex and SHA-256, and catch a lax decoder and a key order by code point. */

const dir = fileURLToPath(new URL('../../../test-vectors/', import.meta.url));
const json = JSON.parse(readFileSync(`${dir}core/primitives.json`, 'utf8')) as VectorFile;
const files: VectorSource[] = [{ path: 'core/primitives.json', json }];
const now = fixedClock(new Date('2026-12-05T12:00:00Z'));
const tests = json.testGroups.flatMap((g) => g.tests.map((t) => ({ ...t, type: g.type, input: t.input as Record<string, string> })));

const real = createPackagesSdk().core as ConformanceCoreSdk;
/** The deliberately broken decoder: Node's Buffer, which skips what it cannot read. */
const laxBase64: ConformanceCoreSdk = { ...real, fromBase64: (text) => new Uint8Array(Buffer.from(text, 'base64')) };
/** The deliberately broken canonical JSON: refuses what the real one refuses, but sorts keys by code point. */
const codePointOrder: ConformanceCoreSdk = {
  ...real,
  canonicalJson: (value) => {
    real.canonicalJson(value);
    const byCodePoint = (a: string, b: string) => {
      const x = Array.from(a, (c) => c.codePointAt(0) ?? 0);
      const y = Array.from(b, (c) => c.codePointAt(0) ?? 0);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
      return x.length - y.length;
    };
    return JSON.stringify(value, (_k, v: unknown) =>
      typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => byCodePoint(a, b))) : v,
    );
  },
};

describe('test-vectors/core/primitives.json', () => {
  it('has at least 8 vectors, at least half negative, all X-1, both groups present', () => {
    expect(tests.length).toBeGreaterThanOrEqual(8);
    expect(tests.filter((t) => t.result === 'invalid').length * 2).toBeGreaterThanOrEqual(tests.length);
    expect(tests.every((t) => t.requirements.includes('X-1'))).toBe(true);
    expect(json.testGroups.map((g) => g.type)).toEqual(['canonical-json', 'bytes-codec']);
  });

  it('the real primitives of @s3404/core pass every vector', async () => {
    const report = await runConformance({ sdk: { core: real }, files, now });
    expect(report.tests.filter((t) => t.outcome !== 'passed').map((t) => `${t.tcId} ${t.outcome} ${t.detail ?? ''}`)).toEqual([]);
    expect(report.tests).toHaveLength(tests.length);
    expect(report.requirements['X-1']?.verdict).toBe('passed');
  });

  it('the same vectors pass with the SHA-256 of node:crypto in place of Web Crypto', async () => {
    const { createHash } = await import('node:crypto');
    const sdk = createPackagesSdk({ sha256: (b) => new Uint8Array(createHash('sha256').update(b).digest()) });
    const report = await runConformance({ sdk: { core: sdk.core as ConformanceCoreSdk }, files, now });
    expect(report.tests.filter((t) => t.outcome !== 'passed')).toEqual([]);
    expect(report.requirements['X-1']?.verdict).toBe('passed');
  });

  it('a lax base64 decoder fails exactly the non-strict base64 texts, and X-1', async () => {
    const report = await runConformance({ sdk: { core: laxBase64 }, files, now });
    const lax = tests.filter((t) => t.input['op'] === 'fromBase64' && t.result === 'invalid').map((t) => t.tcId);
    expect(lax.length).toBeGreaterThanOrEqual(6);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(lax);
    expect(report.requirements['X-1']?.verdict).toBe('failed');
  });

  it('keys sorted by code point fail exactly the two vectors where UTF-16 order differs', async () => {
    const report = await runConformance({ sdk: { core: codePointOrder }, files, now });
    const differs = tests.filter((t) => t.type === 'canonical-json' && t.input['json']?.includes('\\ufb01')).map((t) => t.tcId);
    expect(differs).toHaveLength(2);
    expect(report.tests.filter((t) => t.outcome === 'failed').map((t) => t.tcId)).toEqual(differs);
  });

  it('without a core area, every vector is indeterminate, never passed', async () => {
    const report = await runConformance({ sdk: {}, files, now });
    expect(new Set(report.tests.map((t) => t.outcome))).toEqual(new Set(['indeterminate']));
  });
});
