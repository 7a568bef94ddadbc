/** atomsync's version (package.json's; test/unit/architecture/version.test.ts keeps them equal). */
export const ATOMSYNC_VERSION = '0.1.0';
