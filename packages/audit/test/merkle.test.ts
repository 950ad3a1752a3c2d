import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MerkleAccumulator, consistencyProof, inclusionProof, merkleLeafHash, merkleRoot, verifyConsistency, verifyInclusion } from '@s3404/audit';

interface Vector<I, E> {
  tcId: number;
  comment: string;
  requirements: string[];
  input: I;
  result: 'valid';
  expected: E;
}
type Leaves = { leaves: { base64: string }[] };
const vectors = JSON.parse(readFileSync(new URL('../../../test-vectors/audit/rfc6962-merkle.json', import.meta.url), 'utf8')) as {
  numberOfTests: number;
  testGroups: (
    | { type: 'merkle-root'; tests: Vector<Leaves, { root: string }>[] }
    | { type: 'merkle-inclusion'; tests: Vector<Leaves & { index: number; size: number }, { proof: string[]; root: string }>[] }
  )[];
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const leafHashes = (input: Leaves): Uint8Array[] => input.leaves.map((l) => merkleLeafHash(new Uint8Array(Buffer.from(l.base64, 'base64'))));
const rootTests = vectors.testGroups.flatMap((g) => (g.type === 'merkle-root' ? g.tests : []));
const inclusionTests = vectors.testGroups.flatMap((g) => (g.type === 'merkle-inclusion' ? g.tests : []));
const leaves = leafHashes(rootTests.reduce((a, b) => (b.input.leaves.length > a.input.leaves.length ? b : a)).input);

describe('RFC 9162 Merkle trees (AUD-2)', () => {
  it('holds the announced number of vectors, all for AUD-2', () => {
    expect(rootTests.length + inclusionTests.length).toBe(vectors.numberOfTests);
    expect(rootTests.map((t) => t.input.leaves.length)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const t of [...rootTests, ...inclusionTests]) expect(t.requirements).toEqual(['AUD-2']);
  });

  it.each(rootTests)('matches the Certificate Transparency reference root — tcId $tcId: $comment', (t) => {
    expect(hex(merkleRoot(leafHashes(t.input)))).toBe(t.expected.root);
  });

  it.each(inclusionTests)('matches the reference inclusion proof, and it verifies — tcId $tcId: $comment', (t) => {
    const tree = leafHashes(t.input);
    expect(tree).toHaveLength(t.input.size);
    const proof = inclusionProof(tree, t.input.index);
    expect(proof.map(hex)).toEqual(t.expected.proof);
    expect(verifyInclusion({ leafHash: tree[t.input.index]!, index: t.input.index, size: t.input.size, proof, root: unhex(t.expected.root) }).ok).toBe(true);
  });

  const many = Array.from({ length: 41 }, (_, i) => merkleLeafHash(Uint8Array.of(i, i * 3)));

  it('the accumulator equals the recursive definition, and clones grow independently', () => {
    const acc = new MerkleAccumulator();
    for (let n = 1; n <= many.length; n++) {
      acc.push(many[n - 1]!);
      expect(hex(acc.root())).toBe(hex(merkleRoot(many.slice(0, n))));
    }
    const c = acc.clone();
    c.push(many[0]!);
    expect(c.size).toBe(acc.size + 1);
    expect(hex(acc.root())).toBe(hex(merkleRoot(many)));
  });

  it('every inclusion and consistency proof verifies in trees of 1…41 leaves; forged ones fail', () => {
    for (let size = 1; size <= many.length; size++) {
      const tree = many.slice(0, size);
      const root = merkleRoot(tree);
      for (let i = 0; i < size; i++) {
        const proof = inclusionProof(tree, i);
        expect(verifyInclusion({ leafHash: tree[i]!, index: i, size, proof, root }).ok).toBe(true);
        expect(verifyInclusion({ leafHash: tree[(i + 1) % size]!, index: i, size, proof, root }).ok, `${i} of ${size}`).toBe(size === 1);
        if (proof.length > 0) {
          const bad = proof.map((p) => Uint8Array.from(p));
          bad[0]![0]! ^= 1;
          expect(verifyInclusion({ leafHash: tree[i]!, index: i, size, proof: bad, root }).ok).toBe(false);
          expect(verifyInclusion({ leafHash: tree[i]!, index: i + 1, size, proof, root }).ok).toBe(false);
        }
      }
      for (let first = 1; first <= size; first++) {
        const proof = consistencyProof(tree, first);
        const firstRoot = merkleRoot(tree.slice(0, first));
        expect(verifyConsistency({ first, second: size, firstRoot, secondRoot: root, proof }).ok, `${first}→${size}`).toBe(true);
        if (first < size) {
          const wrong = merkleRoot([...tree.slice(0, first - 1), many[40]!]);
          expect(verifyConsistency({ first, second: size, firstRoot: wrong, secondRoot: root, proof }).ok).toBe(size === 41 && first === 41);
        }
      }
    }
  });

  it('refuses malformed proofs without throwing', () => {
    expect(verifyInclusion({ leafHash: leaves[0]!, index: -1, size: 8, proof: [], root: leaves[0]! }).ok).toBe(false);
    expect(verifyInclusion({ leafHash: leaves[0]!, index: 0, size: 8, proof: [new Uint8Array(3)], root: leaves[0]! }).ok).toBe(false);
    expect(verifyConsistency({ first: 9, second: 8, firstRoot: leaves[0]!, secondRoot: leaves[0]!, proof: [] }).ok).toBe(false);
    expect(() => inclusionProof(leaves, 8)).toThrow(RangeError);
  });
});
