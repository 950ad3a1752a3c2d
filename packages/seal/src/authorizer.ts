import type { RecordSigner, Role, Scope } from './record-schema.js';

/** What the person wants to do (SIG-7): open a capture context, or have a capture sealed. @public */
export type AuthAction = 'capture' | 'seal';

/** An authorisation question (SIG-7). @public */
export interface AuthRequest {
  readonly action: AuthAction;
  readonly signer: RecordSigner;
  readonly role: Role;
  readonly scope: Scope;
  readonly terminalId: string;
  readonly mandate?: { readonly reference: string } | undefined;
}

/** An authorisation answer; `reason` is a short stable token, traced (SIG-7). @public */
export type AuthDecision = { readonly allow: true } | { readonly allow: false; readonly reason: string };

/**
 * The vendor's signing policy (SIG-7): allow or deny a person, in a role, on
 * a bordereau, line or day. It is asked when a context is opened and again
 * when the capture is sealed; denials are traced by the sealer and thrown as
 * `ERR_AUTH_DENIED`.
 *
 * `import type { Authorizer } from '@s3404/seal'`
 *
 * @public
 */
export interface Authorizer {
  authorize(request: AuthRequest): AuthDecision | Promise<AuthDecision>;
}

/** A member of staff known to the default authoriser (SIG-7). @public */
export interface StaffMember {
  /** The vendor's person id, as in `signer.id`. */
  readonly id: string;
  /** Roles this person may sign in (`director`, `delegate`, `practitioner`). */
  readonly roles: readonly Exclude<Role, 'insured'>[];
  /** RPPS of a practitioner; must equal `signer.rpps`. */
  readonly rpps?: string;
  /** Terminals this person may sign on; any when absent. */
  readonly terminals?: readonly string[];
}

/** Options of {@link createRoleAuthorizer} (SIG-7). @public */
export interface RoleAuthorizerOptions {
  /** The establishment's staff allowed to sign. Anyone else is denied. */
  readonly staff: readonly StaffMember[];
  /**
   * Terminals where insured persons may sign. Default: any terminal (the
   * insured person is identified by the bordereau, not by a staff account).
   */
  readonly insuredTerminals?: readonly string[];
}

/**
 * The ready role-based policy (SIG-7):
 * - `insured` may sign a whole bordereau (on the allowed terminals);
 * - staff may sign only in the roles they hold, with their own RPPS;
 * - `director` and `delegate` sign whole bordereaux, accounting days, and
 *   practitioner lines only under a mandate (checked by the mandate registry);
 * - `practitioner` signs lines, their own or a colleague's under a mandate.
 *
 * Reasons: `unknown-person`, `role-not-granted`, `rpps-mismatch`,
 * `terminal-not-allowed`, `scope-not-allowed`.
 *
 * `import { createRoleAuthorizer } from '@s3404/seal'`
 *
 * @example
 * ```ts
 * const authorizer = createRoleAuthorizer({ staff: [{ id: 'dir-1', roles: ['director'] }] })
 * ```
 * @public
 */
export function createRoleAuthorizer(options: RoleAuthorizerOptions): Authorizer {
  if (options === null || typeof options !== 'object' || !Array.isArray(options.staff)) {
    throw new TypeError('createRoleAuthorizer: options.staff must be an array');
  }
  const staff = new Map(options.staff.map((m) => [m.id, m]));
  const insuredTerminals = options.insuredTerminals === undefined ? undefined : new Set(options.insuredTerminals);
  const deny = (reason: string): AuthDecision => ({ allow: false, reason });
  return {
    authorize(request) {
      const { role, scope, signer, terminalId } = request;
      const allowedScopes: Record<Role, readonly Scope['kind'][]> = {
        insured: ['bordereau'],
        director: ['bordereau', 'line', 'accounting-day'],
        delegate: ['bordereau', 'line', 'accounting-day'],
        practitioner: ['line'],
      };
      if (!allowedScopes[role].includes(scope.kind)) return deny('scope-not-allowed');
      if (role === 'insured') {
        if (insuredTerminals !== undefined && !insuredTerminals.has(terminalId)) return deny('terminal-not-allowed');
        return { allow: true };
      }
      const member = staff.get(signer.id);
      if (member === undefined) return deny('unknown-person');
      if (!member.roles.includes(role)) return deny('role-not-granted');
      if (member.terminals !== undefined && !member.terminals.includes(terminalId)) return deny('terminal-not-allowed');
      if ((member.rpps !== undefined || signer.rpps !== undefined) && member.rpps !== signer.rpps) return deny('rpps-mismatch');
      return { allow: true };
    },
  };
}
