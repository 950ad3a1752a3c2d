// A type-only import still couples scor to form.
import type { formId } from '@s3404/form';

export type FormIdOf = typeof formId;
