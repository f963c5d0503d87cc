import type { Site, Unit } from '../registry/types';
import type { ApprovalStep, RequestType, StepRole } from './types';

/** The units a chain needs: the site's host unit and every unit above it. */
export function chainUnitCodes(host: Unit): string[] {
  return [...host.ancestors, host.code];
}

/**
 * Who reviews, bottom-up, computed from the registry (art. 8, 14, 16: 逐级审核, then the provincial General
 * Office approves). A department site starts at its own government, a portal at the government above its
 * host; every government above follows, and the chain always ends at the root of the tree (the province,
 * whose government stands for the General Office). Townships are supervised by their county like
 * departments by their government. `units` must hold the host's ancestors.
 */
export function approvalChain(site: Pick<Site, 'kind'>, host: Unit, units: ReadonlyMap<string, Unit>): Pick<ApprovalStep, 'unitCode' | 'unitName' | 'root'>[] {
  const lineage = chainUnitCodes(host); // root … host
  const rootCode = lineage[0]!;
  let start: number;
  if (site.kind === 'portal' && host.kind === 'government') start = lineage.length - 2;
  else if (host.kind === 'department' || host.kind === 'township') start = lineage.length - 2;
  else start = lineage.length - 1; // a government hosting a department-kind site: itself
  const codes: string[] = [];
  for (let i = Math.max(start, 0); i >= 0; i--) codes.push(lineage[i]!);
  if (codes.length === 0 || codes[codes.length - 1] !== rootCode) codes.push(rootCode);
  return codes.map((code) => ({ unitCode: code, unitName: units.get(code)?.name ?? code, root: code === rootCode }));
}

/**
 * The steps of one request type. Approvals (opening, temporary offline, closure) run the whole chain, the
 * root step approving. A change record is filed with the supervising unit only (art. 17: 备案, not approval);
 * an emergency shutdown is reported to the provincial General Office (art. 15), which acknowledges it.
 */
export function stepsFor(type: RequestType, chain: Pick<ApprovalStep, 'unitCode' | 'unitName' | 'root'>[]): ApprovalStep[] {
  const make = (s: (typeof chain)[number], role: StepRole): ApprovalStep => ({ ...s, role, cc: [] });
  if (type === 'change_record') return [make(chain[0]!, 'acknowledge')];
  if (type === 'emergency_shutdown') return [make(chain[chain.length - 1]!, 'acknowledge')];
  return chain.map((s) => make(s, s.root ? 'approve' : 'review'));
}
