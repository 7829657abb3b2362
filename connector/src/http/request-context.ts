import 'fastify';

/** Who is calling, set by the App ID / App Token check on every /v1 route. */
export interface AccountContext {
  appId: string;
  workspaceId: string;
  /** The Zapier account's name. */
  name: string;
  workspaceName: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    account: AccountContext;
  }
}
