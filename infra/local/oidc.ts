/**
 * The local OpenID provider (`oidc-provider`), mounted at /oidc by `npm start`, so the staff
 * console signs in locally by the same code path as against the hall's identity provider in
 * AWS: authorization code with PKCE, a public client, and a JWT access token for the API.
 *
 * Its sign-in page lists the staff directory (infra/local/oidc-directory.ts): pick a person
 * and the role to act in. The access token carries `sub`, `role` and `dept`, is signed with the
 * runtime's local ES256 key and has the API's audience, so the API's own JWT check
 * (shared/http/auth.ts) accepts it with the runtime's key set; only the issuer differs from
 * `npm run token`'s, and localVerifier picks the check by the token's issuer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { jwtVerifier, type JwtSettings, type TokenVerifier } from '../../shared/http/auth';
import type { Catalog } from '../../shared/domain/catalog';
import type { LocalSecrets } from './keys';
import { staffDirectory, type DirectoryPerson } from './oidc-directory';
import { SECURITY_HEADERS } from './static';

export const OIDC_PATH = '/oidc';
export const CONSOLE_CLIENT_ID = 'onewindow-console';
/** The resource indicator of the API; the token's audience is the API's (LOCAL_AUDIENCE). */
export const API_RESOURCE = 'urn:onewindow:api';
const ROLE_SCOPES = ['role:window', 'role:reviewer', 'role:supervisor', 'role:admin'];
/** What the console asks for: the role it gets is the one chosen at sign-in. */
export const CONSOLE_SCOPE = ['openid', 'profile', 'api', ...ROLE_SCOPES].join(' ');

export interface LocalOidc {
  issuer: string;
  clientId: string;
  scope: string;
  /** Answers /oidc/… and returns true; false for every other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

/** A minimal in-memory store for the provider's sessions, codes and grants (lost on restart: sign in again). */
function memoryAdapter() {
  const store = new Map<string, { payload: Record<string, unknown>; expiresAt?: number }>();
  const live = (key: string) => {
    const hit = store.get(key);
    if (hit?.expiresAt && hit.expiresAt < Date.now()) store.delete(key);
    return store.get(key)?.payload;
  };
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return class MemoryAdapter {
    constructor(readonly model: string) {}
    key(id: string) {
      return `${this.model}:${id}`;
    }
    upsert(id: string, payload: Record<string, unknown>, expiresIn?: number) {
      store.set(this.key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
      const grantId = text(payload.grantId);
      if (grantId) {
        const grant = `grant:${grantId}`;
        const keys = (store.get(grant)?.payload.keys as string[] | undefined) ?? [];
        store.set(grant, { payload: { keys: [...keys, this.key(id)] } });
      }
      const uid = text(payload.uid);
      if (uid) store.set(`${this.model}:uid:${uid}`, { payload: { id } });
      const userCode = text(payload.userCode);
      if (userCode) store.set(`${this.model}:code:${userCode}`, { payload: { id } });
      return Promise.resolve();
    }
    find(id: string) {
      return Promise.resolve(live(this.key(id)));
    }
    findByUid(uid: string) {
      const ref = text(live(`${this.model}:uid:${uid}`)?.id);
      return Promise.resolve(ref ? live(this.key(ref)) : undefined);
    }
    findByUserCode(code: string) {
      const ref = text(live(`${this.model}:code:${code}`)?.id);
      return Promise.resolve(ref ? live(this.key(ref)) : undefined);
    }
    consume(id: string) {
      const hit = live(this.key(id));
      if (hit) hit.consumed = Math.floor(Date.now() / 1000);
      return Promise.resolve();
    }
    destroy(id: string) {
      store.delete(this.key(id));
      return Promise.resolve();
    }
    revokeByGrantId(grantId: string) {
      const grant = `grant:${grantId}`;
      for (const key of (store.get(grant)?.payload.keys as string[] | undefined) ?? []) store.delete(key);
      store.delete(grant);
      return Promise.resolve();
    }
  };
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const ROLE_WORDS: Record<string, string> = {
  window: '窗口受理',
  reviewer: '部门审查',
  supervisor: '电子监察',
  admin: '系统管理',
};

function signInPage(uid: string, people: DirectoryPerson[], catalog: Catalog): string {
  const groups = new Map<string, DirectoryPerson[]>();
  for (const p of people) groups.set(p.dept, [...(groups.get(p.dept) ?? []), p]);
  const deptName = (code: string) =>
    catalog.departments().find((d) => d.code === code)?.name ?? (code === 'SUP' ? '电子监察室' : '政务服务中心');
  const sections = [...groups]
    .map(
      ([dept, list]) =>
        `<section aria-labelledby="d-${escape(dept)}"><h2 id="d-${escape(dept)}">${escape(deptName(dept))}</h2><ul>${list
          .map(
            (p) =>
              `<li><span class="who">${escape(p.name)} <span class="id">(${escape(p.id)})</span></span>${p.roles
                .map(
                  (r) =>
                    `<button type="submit" name="choice" value="${escape(`${p.id}|${r}`)}" data-choice="${escape(`${p.id}|${r}`)}">以${ROLE_WORDS[r] ?? r}身份登录<span class="visually-hidden">：${escape(p.name)}</span></button>`,
                )
                .join('')}</li>`,
          )
          .join('')}</ul></section>`,
    )
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" type="image/svg+xml" href="/favicon.svg"><title>统一身份认证 · 本地开发</title><style>
body{font-family:'PingFang SC','Microsoft YaHei','Noto Sans CJK SC',sans-serif;margin:0;background:#f4f6f9;color:#1d2129;line-height:1.6}
header{background:#1f5aa6;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:700;font-size:1.125rem}
main{max-width:60rem;margin:0 auto;padding:1rem}h1{font-size:1.5rem}h2{font-size:1.125rem;margin:1rem 0 .25rem}
ul{list-style:none;padding:0;margin:0;background:#fff;border-radius:8px}li{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem;padding:.5rem .75rem;border-bottom:1px solid #e3e6eb}
.who{flex:1 1 16rem}.id{color:#4e5560}button{font:inherit;padding:.35rem .75rem;border-radius:6px;border:1px solid #1f5aa6;background:#fff;color:#1f5aa6;cursor:pointer}
button:hover{background:#eaf0f8}button:focus-visible{outline:3px solid #f0b400;outline-offset:2px}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.note{background:#fbf3e3;color:#6b4600;padding:.5rem .75rem;border-radius:6px}</style></head>
<body><header><p>政务服务中心 · 统一身份认证</p></header><main><h1>选择工作人员登录</h1>
<p class="note">本地开发用的身份提供方（npm start 内置）：列出工作人员名录，无需密码。正式环境使用本中心的统一身份认证。</p>
<form method="post" action="${OIDC_PATH}/interaction/${escape(uid)}/login">${sections}</form></main></body></html>`;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 8192) break;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startLocalOidc(options: {
  /** Where the runtime listens, e.g. http://127.0.0.1:3000; the issuer is this plus /oidc. */
  url: string;
  secrets: LocalSecrets;
  audience: string;
  catalog: Catalog;
}): Promise<LocalOidc> {
  const { default: Provider, errors } = await import('oidc-provider');
  const issuer = `${options.url}${OIDC_PATH}`;
  const people = staffDirectory(options.catalog);
  const byId = new Map(people.map((p) => [p.id, p]));
  const port = new URL(options.url).port;
  const redirectUris = [`${options.url}/console/callback`, `http://localhost:${port}/console/callback`];
  const cookieKey = createHash('sha256').update(`oidc-cookies:${options.secrets.piiHashKey}`).digest('base64url');

  const provider = new Provider(issuer, {
    adapter: memoryAdapter(),
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: '政务服务中心 工作台',
        token_endpoint_auth_method: 'none',
        application_type: 'web',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [options.secrets.privateJwk] },
    cookies: { keys: [cookieKey] },
    pkce: { required: () => true },
    scopes: ['openid', 'profile'],
    claims: { openid: ['sub'], profile: ['name'] },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    ttl: {
      AccessToken: 8 * 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== API_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: ['api', ...ROLE_SCOPES].join(' '),
            audience: options.audience,
            accessTokenTTL: 8 * 3600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'ES256' } },
          };
        },
      },
    },
    findAccount: (_ctx, id) => {
      const person = byId.get(id);
      return person ? { accountId: id, claims: () => ({ sub: id, name: person.name }) } : undefined;
    },
    extraTokenClaims: (_ctx, token) => {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const person = byId.get(token.accountId);
      const role = (token.scope ?? '')
        .split(' ')
        .find((s) => s.startsWith('role:'))
        ?.slice(5);
      return person && role ? { role, dept: person.dept, name: person.name } : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${OIDC_PATH}/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录出错</title></head><body><main><h1>登录出错</h1><p>${escape(out.error_description ?? out.error)}</p><p><a href="/console/">返回工作台</a></p></main></body></html>`;
    },
  });
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, login: boolean) => {
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error('this sign-in has expired');
      if (!login) {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          ...SECURITY_HEADERS,
        });
        res.end(signInPage(uid, people, options.catalog));
        return;
      }
      const [id, role] = ((await readForm(req)).get('choice') ?? '').split('|');
      const person = byId.get(id);
      if (!person || !person.roles.includes(role as never)) throw new Error('no such person or role in the directory');
      const grant = new provider.Grant({ accountId: id, clientId: CONSOLE_CLIENT_ID });
      grant.addOIDCScope('openid profile');
      grant.addResourceScope(API_RESOURCE, `api role:${role}`);
      // The other roles are refused, so the provider does not ask for them again (a consent prompt).
      grant.rejectResourceScope(API_RESOURCE, ROLE_SCOPES.filter((s) => s !== `role:${role}`).join(' '));
      const grantId = await grant.save();
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId: id }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', ...SECURITY_HEADERS });
      res.end(
        `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>登录出错</title></head><body><main><h1>登录出错</h1><p>${escape((error as Error).message)}</p><p><a href="/console/">返回工作台重新登录</a></p></main></body></html>`,
      );
    }
  };

  return {
    issuer,
    clientId: CONSOLE_CLIENT_ID,
    scope: CONSOLE_SCOPE,
    handle(req, res) {
      const url = req.url ?? '/';
      if (url !== OIDC_PATH && !url.startsWith(`${OIDC_PATH}/`)) return false;
      const m = /^\/oidc\/interaction\/([\w-]+)(\/login)?$/.exec(url.split('?')[0]);
      const method = (req.method ?? 'GET').toUpperCase();
      if (m && (method === 'GET' || (method === 'POST' && m[2]))) {
        void interaction(req, res, m[1], !!m[2]);
        return true;
      }
      // Mounted under /oidc: the provider sees its own paths and builds its URLs from originalUrl.
      (req as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      req.url = url.slice(OIDC_PATH.length) || '/';
      void callback(req, res);
      return true;
    },
  };
}

/**
 * The local runtime's token check: tokens from the local provider (issuer `<url>/oidc`) and from
 * `npm run token` (issuer `onewindow-local`) are both signed with the local key; each is checked
 * by the API's own verifier with its issuer. Any other issuer goes to the first check and fails there.
 */
export function localVerifier(
  settings: JwtSettings,
  departments: readonly string[],
  oidcIssuer: () => string | undefined,
): TokenVerifier {
  const script = jwtVerifier(settings, departments);
  let pages: { issuer: string; verify: TokenVerifier } | undefined;
  return (token) => {
    const issuer = oidcIssuer();
    let claimed: string | undefined;
    try {
      claimed = decodeJwt(token).iss;
    } catch {
      claimed = undefined;
    }
    if (issuer && claimed === issuer) {
      if (pages?.issuer !== issuer) pages = { issuer, verify: jwtVerifier({ ...settings, issuer }, departments) };
      return pages.verify(token);
    }
    return script(token);
  };
}
