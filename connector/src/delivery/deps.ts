import type { Registry } from 'prom-client';
import type { ConnectorDeps } from '../deps.js';
import type { Db, Storage } from '../storage/db.js';
import type { DeliverySettings } from './settings.js';
import type { HostResolver } from './ssrf.js';

/** The logger calls delivery makes; pino / Fastify's logger fits. */
export interface DeliveryLog {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
}

/**
 * What delivery needs from the connector. The connector's own deps (connector/src/deps.ts)
 * carry more; any object with these members fits, so delivery does not depend on the app.
 */
export interface DeliveryDeps {
  db: Db;
  storage: Storage;
  settings: { delivery: DeliverySettings };
  log: DeliveryLog;
  /** Where to register delivery metrics; the process's registry (http/metrics.ts) by default. */
  metricsRegistry?: Registry;
  /** How hook targets' host names are resolved for the address policy; the system resolver by default. */
  resolveHost?: HostResolver;
}

// The connector's deps must keep fitting: this line stops compiling if they drift apart.
type Fits<T extends true> = T;
export type ConnectorDepsFitDelivery = Fits<ConnectorDeps extends DeliveryDeps ? true : false>;
