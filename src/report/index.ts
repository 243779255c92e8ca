export { renderMarkdown, DEFAULT_MAX_LENGTH } from './markdown.ts';
export type { MarkdownOptions } from './markdown.ts';
export { isComparisonReport, toJsonReport, toRunJsonReport } from './json.ts';
export type { ComparisonJsonReport, JsonReport, RunJsonReport } from './json.ts';
export { escapeText } from './format.ts';
export { renderRunReport } from './run-report.ts';
export type { RunReportOptions } from './run-report.ts';
