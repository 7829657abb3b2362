import type { FastifyBaseLogger } from 'fastify';
import type { HostResolver } from './delivery/ssrf.js';
import type { Settings } from './settings.js';
import type { Db, Storage } from './storage/db.js';

/** What every part of the connector is built from; created once in main.ts (or by a test). */
export interface ConnectorDeps {
  db: Db;
  storage: Storage;
  settings: Settings;
  log: FastifyBaseLogger;
  /** How hook targets' host names are resolved (subscribe and every delivery); the system resolver unless a test gives one. */
  resolveHost?: HostResolver;
}
