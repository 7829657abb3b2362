import 'fastify';

/** Who is calling, set by the App ID / App Token check on every /v1 route. */
export interface AccountContext {
  appId: string;
  workspaceId: string;
  /** The Zapier account's name. */
  name: string;
  workspaceName: string;
  /**
   * The hash of the App Token the caller was authenticated with (never the token): what a
   * change that must not outlive that token (a new subscription) checks is still current.
   */
  tokenHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    account: AccountContext;
  }
}
