// The API baseline: a bare Fastify handler (the connector's framework and version) on the same
// machine, answering the same routes with the same JSON bodies the connector answered, and
// nothing else: no authentication, rate limit, validation, database or metrics.
import Fastify, { type FastifyInstance } from 'fastify';
import { serveCommands } from './lib/rpc.js';

let app: FastifyInstance | undefined;

const commands = {
  /** `bodies`: what GET /v1/contacts and POST /v1/contacts answer (objects, serialised per request). */
  async start({ findBody, createBody }: { findBody: unknown; createBody: unknown }) {
    app = Fastify();
    app.get('/v1/contacts', async () => findBody);
    app.post('/v1/contacts', async (_request, reply) => reply.code(201).send(createBody));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    return { port: typeof address === 'object' && address ? address.port : 0 };
  },
};

export type BareFastifyCommands = typeof commands;

serveCommands(commands, async () => {
  await app?.close();
});
