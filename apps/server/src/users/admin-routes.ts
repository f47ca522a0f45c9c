/**
 * Admin only (`users:manage`):
 * - `GET|POST /api/users`, `PATCH|DELETE /api/users/:id`: create, set role and
 *   phones, reset a password (the user must change it at next sign-in),
 *   disable (their sessions end at once). The last active admin can be
 *   neither disabled, demoted nor deleted.
 * - `GET|POST /api/tokens`, `DELETE /api/tokens/:id`: API tokens for scripts.
 * - `GET|POST /api/display-keys`, `DELETE /api/display-keys/:id`: read-only
 *   keys for wall screens, optionally limited to some phones.
 * Secrets (tokens, display keys) are answered once, at creation, and stored
 * only as hashes. Every change is audited before the answer.
 */
import {
  type ApiToken,
  createApiTokenBodySchema,
  createDisplayKeyBodySchema,
  createUserBodySchema,
  type User,
  updateUserBodySchema,
} from '@linedeck/contract';
import express, { type Request, type Response, Router } from 'express';
import { type Principal, principalOf } from '../access/access.ts';
import { type Audit, recordAudit } from '../audit/audit-seam.ts';
import { AppError } from '../errors.ts';
import { isUniqueViolation } from '../store/database.ts';
import type { RealAccess } from './create-access.ts';
import { assertStrongPassword, hashPassword } from './passwords.ts';
import { hashSecret, newSecret } from './secrets.ts';
import type { AuthService } from './service.ts';
import { tokenStatus } from './token-rules.ts';
import type {
  DisplayKeyRecord,
  TokenRecord,
  UserPatch,
  UserRecord,
  UsersRepository,
} from './users-repository.ts';

export interface AdminRoutesDeps {
  service: AuthService;
  access: RealAccess;
  audit: Audit;
  /** Whether a phone id exists, to refuse assigning unknown phones. */
  phoneExists: (id: string) => boolean;
  bodyLimit?: string | undefined;
}

export function publicUser(user: UserRecord): User {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    phoneIds: [...user.phoneIds],
    disabled: user.disabled,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt,
  };
}

function publicToken(token: TokenRecord, creator: UserRecord | undefined, now: number): ApiToken {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    createdBy: token.createdBy === null ? null : { id: token.createdBy, username: creator?.username ?? null },
    phoneIds: token.phoneIds === null ? null : [...token.phoneIds],
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    expiresAt: token.expiresAt,
    status: tokenStatus(token, creator, now),
  };
}

function publicDisplayKey(key: DisplayKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    phoneIds: [...key.phoneIds],
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
  };
}

const LAST_ADMIN = 'LineDeck needs at least one active admin: make another user admin first.';

export function adminRouter(deps: AdminRoutesDeps): Router {
  const { service, access, audit } = deps;
  const { store } = service;
  const logger = service.logger;
  const router = Router();
  const json = express.json({ limit: deps.bodyLimit ?? '32kb' });
  const admin = [access.authenticate, access.authorize('users:manage')];
  const audited = (req: Request, res: Response, action: string, params: Record<string, unknown>) =>
    recordAudit(audit, logger, req, res, { action, phoneId: null, params, result: 'ok' });

  function checkPhones(phoneIds: string[], field: string): string[] {
    const unique = [...new Set(phoneIds)];
    const unknown = unique.filter((id) => !deps.phoneExists(id));
    if (unknown.length > 0) {
      throw new AppError('invalid_input', `Unknown phone id: ${unknown.slice(0, 5).join(', ')}.`, {
        issues: [{ path: field, message: 'Unknown phone id.' }],
      });
    }
    return unique;
  }

  async function userOr404(id: string, repo: Pick<UsersRepository, 'getUser'> = store): Promise<UserRecord> {
    const user = await repo.getUser(id);
    if (!user) throw new AppError('not_found', `No user with id ${id}.`);
    return user;
  }

  // ---------- users ----------

  router.get('/users', ...admin, async (_req, res) => {
    res.json((await store.listUsers()).map(publicUser));
  });

  router.post('/users', json, ...admin, async (req, res) => {
    const body = createUserBodySchema.parse(req.body);
    if (await store.getUserByUsername(body.username)) {
      throw new AppError('invalid_input', `The username "${body.username}" is taken.`, {
        issues: [{ path: 'username', message: 'Taken.' }],
      });
    }
    const phoneIds = checkPhones(body.phoneIds, 'phoneIds');
    assertStrongPassword(body.password, body.username, 'password');
    const passwordHash = await hashPassword(body.password, service.settings.scrypt);
    let user: UserRecord;
    try {
      // Not forced to change: an admin who wants that resets the password (PATCH), which forces it.
      user = await store.insertUser(
        { username: body.username, passwordHash, role: body.role, phoneIds, mustChangePassword: false },
        service.isoNow(),
      );
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new AppError('invalid_input', `The username "${body.username}" is taken.`);
      }
      throw err;
    }
    await audited(req, res, 'users:create', {
      userId: user.id,
      username: user.username,
      role: user.role,
      phoneIds,
    });
    res.status(201).json(publicUser(user));
  });

  router.patch('/users/:id', json, ...admin, async (req, res) => {
    const id = String(req.params.id);
    const body = updateUserBodySchema.parse(req.body);
    const target = await userOr404(id);
    if (body.password !== undefined) assertStrongPassword(body.password, target.username, 'password');
    const patch: UserPatch = {};
    if (body.role !== undefined) patch.role = body.role;
    if (body.disabled !== undefined) patch.disabled = body.disabled;
    if (body.phoneIds !== undefined) patch.phoneIds = checkPhones(body.phoneIds, 'phoneIds');
    if (body.password !== undefined) {
      patch.passwordHash = await hashPassword(body.password, service.settings.scrypt);
      patch.mustChangePassword = true;
    }
    // Check and change in one transaction: two admins demoting each other at once cannot leave none.
    const updated = await store.guarded(async (repo) => {
      const user = await userOr404(id, repo);
      const losesAdmin =
        user.role === 'admin' &&
        !user.disabled &&
        (patch.disabled === true || (patch.role ?? 'admin') !== 'admin');
      if (losesAdmin && (await repo.activeAdminIds()).filter((a) => a !== id).length === 0) {
        throw new AppError('forbidden', LAST_ADMIN);
      }
      return (await repo.updateUser(id, patch, service.isoNow())) as UserRecord;
    });
    const self = principalOf(res) as Principal;
    if (patch.disabled === true || patch.passwordHash !== undefined) {
      // An admin resetting their own password keeps the session they are using.
      await service.endUserSessions(id, id === self.userId ? self.sessionHash : undefined);
    }
    // Streams opened with their tokens end too (the service tracks a token's stream under its creator).
    if (patch.role !== undefined || patch.phoneIds !== undefined || patch.disabled === true)
      service.endUserStreams(id);
    await audited(req, res, 'users:update', {
      userId: id,
      username: updated.username,
      ...(body.role === undefined ? {} : { role: body.role }),
      ...(body.phoneIds === undefined ? {} : { phoneIds: patch.phoneIds }),
      ...(body.disabled === undefined ? {} : { disabled: body.disabled }),
      ...(body.password === undefined ? {} : { passwordReset: true }),
    });
    res.json(publicUser(updated));
  });

  router.delete('/users/:id', ...admin, async (req, res) => {
    const id = String(req.params.id);
    const hashes = await store.userSessionHashes(id);
    const user = await store.guarded(async (repo) => {
      const existing = await userOr404(id, repo);
      if (
        existing.role === 'admin' &&
        !existing.disabled &&
        (await repo.activeAdminIds()).filter((a) => a !== id).length === 0
      ) {
        throw new AppError('forbidden', LAST_ADMIN);
      }
      await repo.deleteUser(id);
      return existing;
    });
    for (const h of hashes) await service.endSession(h);
    service.endUserStreams(id);
    await audited(req, res, 'users:delete', { userId: id, username: user.username });
    res.status(204).end();
  });

  // ---------- API tokens ----------

  router.get('/tokens', ...admin, async (_req, res) => {
    const users = new Map((await store.listUsers()).map((u) => [u.id, u]));
    const now = service.now();
    res.json(
      (await store.listTokens()).map((t) =>
        publicToken(t, t.createdBy === null ? undefined : users.get(t.createdBy), now),
      ),
    );
  });

  /** The user a new token belongs to: the signed-in admin, or the admin who made the token in use. */
  async function tokenOwner(self: Principal): Promise<string | null> {
    if (self.userId) return self.userId;
    if (!self.tokenId) return null;
    return (await store.listTokens()).find((t) => t.id === self.tokenId)?.createdBy ?? null;
  }

  router.post('/tokens', json, ...admin, async (req, res) => {
    const body = createApiTokenBodySchema.parse(req.body);
    if (body.expiresAt !== undefined && Date.parse(body.expiresAt) <= service.now()) {
      throw new AppError('invalid_input', 'The expiry must be in the future.', {
        issues: [{ path: 'expiresAt', message: 'In the past.' }],
      });
    }
    // An empty list would read as "all phones" for a viewer: all phones is said by leaving phoneIds out.
    if (body.phoneIds !== undefined && body.phoneIds.length === 0) {
      throw new AppError('invalid_input', 'Name at least one phone, or leave phoneIds out for all phones.', {
        issues: [{ path: 'phoneIds', message: 'Empty.' }],
      });
    }
    const phoneIds = body.phoneIds === undefined ? null : checkPhones(body.phoneIds, 'phoneIds');
    const expiresAt = body.expiresAt === undefined ? null : new Date(body.expiresAt).toISOString();
    const createdBy = await tokenOwner(principalOf(res) as Principal);
    if (createdBy === null) {
      throw new AppError('forbidden', 'An API token belongs to a user: sign in as an admin to make one.');
    }
    const secret = newSecret('ldt');
    const id = await store.insertToken(
      { name: body.name, role: body.role, secretHash: hashSecret(secret), createdBy, expiresAt, phoneIds },
      service.isoNow(),
    );
    await audited(req, res, 'tokens:create', {
      tokenId: id,
      name: body.name,
      role: body.role,
      expiresAt,
      phoneIds,
    });
    res.status(201).json({ id, secret });
  });

  router.delete('/tokens/:id', ...admin, async (req, res) => {
    const id = String(req.params.id);
    const token = (await store.listTokens()).find((t) => t.id === id);
    if (!token || !(await service.revokeToken(id)))
      throw new AppError('not_found', `No API token with id ${id}.`);
    await audited(req, res, 'tokens:revoke', { tokenId: id, name: token.name });
    res.status(204).end();
  });

  // ---------- display keys ----------

  router.get('/display-keys', ...admin, async (_req, res) => {
    res.json((await store.listDisplayKeys()).map(publicDisplayKey));
  });

  router.post('/display-keys', json, ...admin, async (req, res) => {
    const body = createDisplayKeyBodySchema.parse(req.body);
    const phoneIds = checkPhones(body.phoneIds, 'phoneIds');
    const secret = newSecret('ldk');
    const id = await store.insertDisplayKey(
      { name: body.name, phoneIds, secretHash: hashSecret(secret) },
      service.isoNow(),
    );
    await audited(req, res, 'display-keys:create', { displayKeyId: id, name: body.name, phoneIds });
    res.status(201).json({ id, secret });
  });

  router.delete('/display-keys/:id', ...admin, async (req, res) => {
    const id = String(req.params.id);
    const key = await store.getDisplayKey(id);
    if (!key || !(await service.revokeDisplayKey(id)))
      throw new AppError('not_found', `No display key with id ${id}.`);
    await audited(req, res, 'display-keys:revoke', { displayKeyId: id, name: key.name });
    res.status(204).end();
  });

  return router;
}
