import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MerkleAccumulator, consistencyProof, inclusionProof, merkleLeafHash, merkleRoot, verifyConsistency, verifyInclusion } from '@s3404/audit';

const vectors = JSON.parse(readFileSync(new URL('../../../test-vectors/audit/rfc6962-merkle.json', import.meta.url), 'utf8')) as {
  leaves: string[];
  emptyRoot: string;
  roots: string[];
  inclusion: { index: number; size: number; proof: string[] }[];
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const leaves = vectors.leaves.map((l) => merkleLeafHash(unhex(l)));

describe('RFC 9162 Merkle trees (AUD-2)', () => {
  it('matches the Certificate Transparency reference roots for every size 0…8', () => {
    expect(hex(merkleRoot([]))).toBe(vectors.emptyRoot);
    for (let n = 1; n <= 8; n++) expect(hex(merkleRoot(leaves.slice(0, n)))).toBe(vectors.roots[n - 1]);
  });

  it('matches the reference inclusion proofs, and they verify', () => {
    for (const v of vectors.inclusion) {
      const proof = inclusionProof(leaves.slice(0, v.size), v.index);
      expect(proof.map(hex)).toEqual(v.proof);
      expect(verifyInclusion({ leafHash: leaves[v.index]!, index: v.index, size: v.size, proof, root: unhex(vectors.roots[v.size - 1]!) }).ok).toBe(true);
    }
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
