export * from './http-api.module.js';
export * from './http-errors.filter.js';
export * from './json-only.middleware.js';
export * from './schema-validation.pipe.js';
export { DOCS_PATH, serveOpenApi } from './open-api.js';
export * from './error-response.js';
export * from './operator-access.js';
