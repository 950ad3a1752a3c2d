import { hex } from '@s3404/core';

export const newThing = hex;
