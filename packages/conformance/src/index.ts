/**
 * `@s3404/conformance` — the CNDA-style conformance runner: it runs
 * the vectors of `test-vectors/` (envelope version 2) against an SDK passed
 * in, so the same run judges the SDK in Node, a browser, Deno or Bun — or a
 * vendor's own implementation — and reports a verdict per requirement of the
 * SPEC with the evidence of each test.
 *
 * Runtime-neutral: no Node API; the vector files, fixtures, clock and hash are
 * given by the caller (`s3404 conformance` reads them from disk).
 *
 * @packageDocumentation
 */
export { runConformance, type RunConformanceOptions } from './run.js';
export {
  judgeArtifacts,
  type ArtifactFile,
  type ArtifactInput,
  type ArtifactKind,
  type ArtifactReport,
  type ArtifactVerdict,
  type JudgeArtifactsOptions,
} from './judge-artifacts.js';
export { MIN_PASSING_VECTORS, REQUIREMENT_TITLES, SPEC_REQUIREMENTS } from './requirements.js';
export { renderConformanceHtml, type RenderConformanceHtmlOptions } from './render-html.js';
export {
  VECTOR_AREAS,
  VECTOR_SCHEMA,
  type BugType,
  type VectorArea,
  type VectorFile,
  type VectorGroup,
  type VectorNote,
  type VectorResult,
  type VectorSource,
  type VectorTest,
} from './envelope.js';
export type { ConformanceAuditSdk, ConformanceFormSdk, ConformanceRunnerSdk, ConformanceScorSdk, ConformanceSdk, ConformanceVerdict } from './sdk.js';
export type { HandlerAnswer, HandlerContext, VectorHandler } from './handler.js';
export type { ConformanceFormModelSdk } from './sdk-form-model.js';
export type { ConformanceFormFillableSdk } from './sdk-form-fillable.js';
export type { ConformanceSealSdk, ConformanceSealVerdict } from './sdk-seal.js';
export type {
  ConformanceConsumeSdk,
  ConformanceConsumer,
  ConformanceConsumeTarget,
  ConformancePolicySealer,
  ConformanceSealerPolicy,
} from './sdk-consume.js';
export type { ConformanceBordereauPdfVerdict, ConformancePdfSdk, ConformancePdfSealVerdict } from './sdk-pdf.js';
export type { ConformanceCaptureSdk, ConformanceCaptureSession } from './sdk-capture.js';
export type { ConformanceAuditChainSdk, ConformanceTraceVerdict } from './sdk-audit-chain.js';
export type { ConformanceAuditExportsSdk } from './sdk-audit-exports.js';
export type { ConformanceScorLotSdk, ConformanceScorLotVerdict } from './sdk-scor-lot.js';
export type { ConformanceScorPjPolicy, ConformanceScorPjReport, ConformanceScorPjSdk } from './sdk-scor-pj.js';
export type { ConformanceAuditRetentionSdk, ConformancePurgeAnswer } from './sdk-audit-retention.js';
export type { ConformanceCoreSdk } from './sdk-core.js';
export type { ConformanceRunnerAnswer } from './sdk-runner.js';
export type { ConformanceCodecLot, ConformanceLotCodec, ConformancePluggableSdk } from './sdk-pluggable.js';
export type {
  ConformanceFile,
  ConformanceFixture,
  ConformanceReport,
  ConformanceSummary,
  ConformanceTest,
  RequirementReport,
  RequirementVerdict,
  TestOutcome,
} from './report.js';
