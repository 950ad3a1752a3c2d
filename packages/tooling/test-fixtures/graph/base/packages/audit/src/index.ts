import type { Clock } from '@s3404/core';

export const stamp = (now: Clock): string => now().toISOString();
