import { hex } from '@s3404/core';

export const lotId = (bytes: Uint8Array): string => `L-${hex(bytes)}`;
