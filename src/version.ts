// Signet's version, reported in every output (kept equal to package.json by a test).
export const SIGNET_VERSION = '0.1.0';
