import { stamp } from '@s3404/audit';
import { formId } from '@s3404/form';
import { lotId } from '@s3404/scor';
import { seal } from '@s3404/seal';
import { one } from './args.js';

export const run = (args: readonly string[]): string =>
  [one(args), formId(new Uint8Array()), lotId(new Uint8Array()), seal(new Uint8Array(), () => new Date(0)), stamp(() => new Date(0))].join(' ');
