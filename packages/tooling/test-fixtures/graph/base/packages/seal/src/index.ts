import type { Clock } from '@s3404/core';
import { formId } from '@s3404/form';

export const seal = (bytes: Uint8Array, now: Clock): string => `${formId(bytes)}@${now().toISOString()}`;
