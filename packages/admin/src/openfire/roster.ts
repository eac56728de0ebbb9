// Openfire RosterItem.SubType: the subscription numbers both plugins take (User Service readme `subscription`).
export const ROSTER_SUBSCRIPTION = { remove: -1, none: 0, to: 1, from: 2, both: 3 } as const;
export type RosterSubscription = keyof typeof ROSTER_SUBSCRIPTION;

/** A contact on a user's roster. */
export interface RosterItem {
  /** The contact's bare JID. */
  jid: string;
  nickname?: string | undefined;
  /** Both plugins store `none` when this is left out, on update too. */
  subscription?: RosterSubscription | undefined;
  groups?: readonly string[] | undefined;
}

/** What `updateUser` can change; fields left out stay as they are. */
export interface UserUpdate {
  password?: string | undefined;
  name?: string | undefined;
  email?: string | undefined;
}
