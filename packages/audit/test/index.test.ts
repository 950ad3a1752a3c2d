import { describe, expect, it } from 'vitest';
import * as pkg from '@s3404/audit';

describe('@s3404/audit (placeholder until issue #5)', () => {
  it('says it is not available yet, and exports nothing else', () => {
    expect(pkg.PACKAGE_STATUS).toBe('planned');
    expect(Object.keys(pkg)).toEqual(['PACKAGE_STATUS']);
  });
});
