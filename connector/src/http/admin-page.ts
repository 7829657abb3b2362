import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The admin web page (connector/web, built by Vite to connector/web/dist) at /admin/. The page
 * is only code: everything it shows comes from /admin/api with the admin token it is given.
 */

/** connector/web/dist, seen from this file as source (connector/src/http) or compiled (connector/dist/connector/src/http). */
export function defaultAdminPageDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../web/dist'), resolve(here, '../../../../web/dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

/** Nothing but this origin: scripts, styles and calls. No framing (clickjacking), no referrer. */
const pageHeaders = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Admin page not built</title>
<p>The admin page has not been built. Run <code>npm run build:web</code> (<code>npm start</code> does it), then reload.</p>
<p>The admin API under <code>/admin/api</code> works without it.</p></html>`;

/**
 * GET /admin/ (index.html, revalidated on every visit so a new build shows at once) and
 * /admin/assets/* (file names carry a content hash: cached for a year, immutable). /admin
 * redirects to /admin/, and /console/<kind>/<id> to the page's view of that record. The API
 * under /admin/api is untouched: its routes are more specific.
 */
export async function adminPageRoutes(app: FastifyInstance, { dir = defaultAdminPageDir() }: { dir?: string } = {}): Promise<void> {
  const indexFile = join(dir, 'index.html');
  const hidden = { schema: { hide: true } };

  app.get('/admin', hidden, async (_request, reply) => reply.redirect('/admin/', 301));

  app.get('/admin/', hidden, async (_request, reply) => {
    const html = await readFile(indexFile).catch(() => undefined);
    reply.headers({ ...pageHeaders, 'cache-control': 'no-cache' }).type('text/html; charset=utf-8');
    return html ? reply.send(html) : reply.code(503).header('cache-control', 'no-store').send(NOT_BUILT);
  });

  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/admin/assets/',
    decorateReply: false,
    index: false,
    list: false,
    dotfiles: 'deny',
    cacheControl: true,
    maxAge: '365d',
    immutable: true,
    etag: true,
    lastModified: true,
    schemaHide: true,
    setHeaders: (res) => res.setHeader('x-content-type-options', 'nosniff'),
  });
}
