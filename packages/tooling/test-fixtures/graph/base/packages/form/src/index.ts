import { hex } from '@s3404/core';

export const formId = (bytes: Uint8Array): string => `F-${hex(bytes)}`;
