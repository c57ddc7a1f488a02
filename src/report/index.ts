export { dedupeReportData, DedupeReportBuilder, DEDUPE_REPORT_DEFAULTS } from './dedupe-report';
export type { ClusterWarning, DedupeReportData, DedupeReportOptions, ReportCluster, ReportPair, ReportText } from './dedupe-report';
export type { Histogram } from './histogram';
export { renderDedupeReport, renderQualityReport, escapeHtml } from './html';
export type { ReportRenderOptions } from './html';
export { QualityReportBuilder, QUALITY_REPORT_DEFAULTS } from './quality-report';
export type { QualityFailure, QualityReportBuilderOptions, QualityReportData, QualityStatistic } from './quality-report';
