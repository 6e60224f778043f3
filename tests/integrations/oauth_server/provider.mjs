// A real authorization server for the tests: oidc-provider, a certified OpenID
// Connect / OAuth 2.0 implementation, with its own login and consent pages
// (devInteractions: any username, any password), on 127.0.0.1 only.
//
//   node provider.mjs PORT REDIRECT_URI CLIENT_ID CLIENT_SECRET
//
// Prints "ready" once listening. Plain OAuth 2.0 requests (no openid scope) get an
// opaque access token and a refresh token; the local CRM checks tokens by
// introspection, so a revoked token stops working at once.
import Provider from 'oidc-provider';

const [port, redirectUri, clientId, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  scopes: ['openid', 'offline_access', 'contacts.read', 'calls.write'],
  features: {
    devInteractions: { enabled: true },
    introspection: { enabled: true },
    revocation: { enabled: true },
  },
  issueRefreshToken: async () => true,
  ttl: { AccessToken: 3600, AuthorizationCode: 120, RefreshToken: 86400, Interaction: 600, Session: 600, Grant: 86400 },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log('ready');
});
