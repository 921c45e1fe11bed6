import { channels, keys, type Engine } from '@locus/engine';
import { LocusError } from '@locus/protocol';
import { encodeControlEvent, type ControlKind } from './control-event.js';

export interface FriendLists {
  friends: string[];
  /** Users who asked this user. */
  incoming: string[];
  /** Users this user asked. */
  outgoing: string[];
}

export type RequestOutcome = 'requested' | 'accepted' | 'already_friends';

/**
 * Mutual friendship: A asks B (request), B accepts (or declines); either may remove it later. A request
 * to someone who already asked you is an accept. Every change is announced on both users' control
 * channels so every gateway involved adds or drops subscriptions at once.
 *
 * Writes come before reads in `request` so that two users asking each other at the same moment always
 * end up friends: at least one of them sees the other's request (no lost accept), and both paths are
 * idempotent.
 */
export class FriendGraph {
  constructor(
    private readonly engine: Engine,
    private readonly maxFriends: number,
  ) {}

  async request(from: string, to: string): Promise<RequestOutcome> {
    if (from === to) throw new LocusError('BAD_REQUEST', 'cannot befriend yourself');
    const s = this.engine.sets;
    if (await s.has(keys.friends(from), to)) return 'already_friends';
    await this.checkRoom(from);
    await Promise.all([s.add(keys.friendRequestsOut(from), to), s.add(keys.friendRequestsIn(to), from)]);
    if (await s.has(keys.friendRequestsOut(to), from)) {
      await this.makeFriends(from, to);
      return 'accepted';
    }
    await this.announce(to, 'requested', from);
    return 'requested';
  }

  async accept(user: string, requester: string): Promise<void> {
    const s = this.engine.sets;
    if (await s.has(keys.friends(user), requester)) return;
    if (!(await s.has(keys.friendRequestsIn(user), requester))) {
      throw new LocusError('NO_REQUEST', `no pending friend request from ${requester}`);
    }
    await this.checkRoom(user);
    await this.makeFriends(user, requester);
  }

  async decline(user: string, requester: string): Promise<void> {
    const s = this.engine.sets;
    const had = await s.remove(keys.friendRequestsIn(user), requester);
    await s.remove(keys.friendRequestsOut(requester), user);
    if (!had) throw new LocusError('NO_REQUEST', `no pending friend request from ${requester}`);
    await this.announce(requester, 'declined', user);
  }

  async remove(user: string, friend: string): Promise<void> {
    const s = this.engine.sets;
    const [a, b] = await Promise.all([s.remove(keys.friends(user), friend), s.remove(keys.friends(friend), user)]);
    // Also withdraws the user's own pending request to `friend` (an incoming one is answered with decline).
    const [c, d] = await Promise.all([
      s.remove(keys.friendRequestsOut(user), friend),
      s.remove(keys.friendRequestsIn(friend), user),
    ]);
    if (!a && !b && !c && !d) throw new LocusError('NOT_FRIEND', `${friend} is not a friend`);
    await Promise.all([this.announce(user, 'removed', friend), this.announce(friend, 'removed', user)]);
  }

  async lists(user: string): Promise<FriendLists> {
    const s = this.engine.sets;
    const [friends, incoming, outgoing] = await Promise.all([
      s.members(keys.friends(user)),
      s.members(keys.friendRequestsIn(user)),
      s.members(keys.friendRequestsOut(user)),
    ]);
    return { friends: friends.sort(), incoming: incoming.sort(), outgoing: outgoing.sort() };
  }

  friendsOf(user: string): Promise<string[]> {
    return this.engine.sets.members(keys.friends(user));
  }

  areFriends(a: string, b: string): Promise<boolean> {
    return this.engine.sets.has(keys.friends(a), b);
  }

  private async makeFriends(a: string, b: string): Promise<void> {
    const s = this.engine.sets;
    await Promise.all([
      s.add(keys.friends(a), b),
      s.add(keys.friends(b), a),
      s.remove(keys.friendRequestsIn(a), b),
      s.remove(keys.friendRequestsOut(a), b),
      s.remove(keys.friendRequestsIn(b), a),
      s.remove(keys.friendRequestsOut(b), a),
    ]);
    await Promise.all([this.announce(a, 'accepted', b), this.announce(b, 'accepted', a)]);
  }

  /** Each friend is a channel subscription on the user's gateway, so the count is bounded. */
  private async checkRoom(user: string): Promise<void> {
    const [f, o] = await Promise.all([
      this.engine.sets.size(keys.friends(user)),
      this.engine.sets.size(keys.friendRequestsOut(user)),
    ]);
    if (f + o >= this.maxFriends) {
      throw new LocusError('LIMIT_EXCEEDED', `at most ${this.maxFriends} friends and pending requests`, {
        limit: this.maxFriends,
      });
    }
  }

  private announce(to: string, kind: ControlKind, about: string): Promise<void> {
    return this.engine.bus.publish(channels.control(to), encodeControlEvent({ kind, user: about }));
  }
}
