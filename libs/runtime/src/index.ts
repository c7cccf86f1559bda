export * from './environment.js';
export * from './infrastructure.js';
export * from './platform.module.js';
export * from './bootstrap.js';
export * from './http-app.js';
export { HealthController } from './health/health.controller.js';
export { readinessOf, type DependencyCheck, type Readiness } from './health/readiness.js';
export {
  configureOperatorHttp,
  listenOperatorPort,
  type OperatorPort,
} from './admin/operator-port.js';
