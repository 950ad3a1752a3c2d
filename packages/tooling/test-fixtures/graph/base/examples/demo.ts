import { run } from '@s3404/cli';
import { seal } from '@s3404/seal';

export const demo = `${run(['demo'])} ${seal(new Uint8Array(), () => new Date(0))}`;
