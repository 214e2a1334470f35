// The rules between hubs and spokes, in one home: the API's writes (routes/sites.ts), imports
// (db/imports.ts) and scenario actions (actions.ts) all ask these, so that a network the API refuses
// is one a scenario cannot make either.
//
// Decided as a planner would expect (docs/planning-model.md, "Network rules"):
// - Spokes and venues are run from a hub and name it; hubs and standalone centres name none. A venue is
//   a spoke with no staff base of its own: sessions there are staffed from its hub. Every rule below
//   that speaks of a spoke holds for a venue alike.
// - A spoke's hub is a hub; an open spoke's hub is open. A closed spoke may keep naming a hub that has
//   closed since: it cannot reopen until its hub is open again or it is reassigned.
// - Closing a hub is refused while an open spoke names it. Spokes already closed depend on nothing, so
//   they do not hold a hub open.
// - A hub stops being a hub (becomes a spoke or standalone), or is deleted, only once no spoke names
//   it, open or closed: every spoke must name a hub.
import type { SiteRole, SiteStatus } from './types.js';

/** Whether a site of `role` is run from a hub, and so names one (hubId): spokes and venues. */
export const runFromHub = (role: SiteRole): boolean => role === 'spoke' || role === 'venue';

export interface SiteState {
  role: SiteRole;
  status: SiteStatus;
}

/** Why `hub` cannot be the hub of a spoke whose status is `spokeStatus`; undefined when it can. */
export function hubProblem(hub: SiteState, spokeStatus: SiteStatus): string | undefined {
  if (hub.role !== 'hub') return `is not a hub (it is ${hub.role})`;
  if (spokeStatus === 'open' && hub.status !== 'open') return 'is closed';
  return undefined;
}

/** A change to a hub that its spokes may hold up. */
export type HubChange = 'close' | 'demote' | 'delete';

/** What a change from `previous` to `next` (null: deleted) does to a hub; undefined when it stays an open hub or was none. */
export function hubChange(previous: SiteState, next: SiteState | null): HubChange | undefined {
  if (previous.role !== 'hub') return undefined;
  if (next === null) return 'delete';
  if (next.role !== 'hub') return 'demote';
  return next.status === 'open' ? undefined : 'close';
}

/** Which spokes hold up a change: open ones a closure, any a demotion or deletion. */
export const spokesHolding = (change: HubChange): 'open' | 'any' => (change === 'close' ? 'open' : 'any');

/** Whether `spoke` holds up `change` of its hub. */
export const holdsUp = (change: HubChange, spoke: Pick<SiteState, 'status'>): boolean => spokesHolding(change) === 'any' || spoke.status === 'open';

/** The refusal of `change` while `count` spokes hold it up. */
export const hubChangeRefused = (change: HubChange, count: number): string =>
  `This hub has ${count} ${spokesHolding(change) === 'open' ? 'open ' : ''}spoke(s): reassign ${change === 'close' ? 'or close ' : ''}them before you ${change} it`;
