/**
 * Standard exports of the trace (AUD-4): JSON Lines, CSV (RFC 4180), OCSF
 * 1.3 API Activity, each with a manifest signed through core's
 * `ContentSigner`, and their offline verification. Pure: no `node:` import,
 * runs in browsers.
 */
export { exportEvents, exportMimeType, type ExportOptions, type ExportResult } from './export-events.js';
export { verifyExport, type VerifyExportInput, type ExportReport, type ExportIssue } from './verify-export.js';
export { EXPORT_FORMATS, EXPORT_MANIFEST_TYPE, ExportManifestSchema, type ExportFormat, type ExportManifest } from './manifest.js';
export { parsePeriod, type ExportPeriod, type PeriodOptions } from './period.js';
export { CSV_COLUMNS, type CsvColumn } from './csv.js';
export { OCSF_VERSION, OCSF_ACTIVITY, toOcsfApiActivity, type OcsfApiActivity } from './ocsf.js';
