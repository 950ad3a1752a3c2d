// A test may import its own package (public name or relative) and the public entries of others.
import { hex } from '@s3404/core';
import { formId } from '@s3404/form';
import { formId as sameFormId } from '../src/index.js';

export const same = formId(new Uint8Array([1])) === sameFormId(new Uint8Array([1])) && hex(new Uint8Array([1])) === '01';
