/** bench-action's own version, recorded in every results file it writes. */
export const TOOL_NAME = 'bench-action';
export const TOOL_VERSION = '0.1.0';
