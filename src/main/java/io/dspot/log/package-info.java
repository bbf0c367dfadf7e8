/**
 * The ordered log: who may commit, in which order, and how every change reaches every node.
 *
 * <p>Front door (the only public types): {@link io.dspot.log.OrderedLog}, implemented by
 * {@link io.dspot.log.LogVerticle}: modules submit {@link io.dspot.log.OrderedCommand}s (which
 * return a {@link io.dspot.log.Decision}), register an {@link io.dspot.log.Applier} per event type
 * and a rebuild hook that wipes their own tables; {@link io.dspot.log.LogAddresses} for status and
 * applied-event notices; {@link io.dspot.log.LogRoutes} for the internal peer API.
 *
 * <p>Inside, on one event loop:
 * <ul>
 *   <li>{@code TokenRing}: the token state machine (hold, hand-off in ring order, wants, epochs,
 *       regeneration), plain Java; {@code Ring} and {@code Regeneration} carry its messages and
 *       timers; {@code WriteQueue} holds the commands waiting for the token.
 *   <li>{@code Committer} commits a batch with the token; {@code EventApplier} applies events in
 *       order; {@code EventLog} is the outbox table, the applied number and the promised epoch;
 *       {@code EpochFence} refuses events of a superseded epoch.
 *   <li>{@code Outbox} receives and serves events and catches up from peers; {@code Relay}
 *       delivers this node's events and tracks which node applied how far.
 * </ul>
 */
package io.dspot.log;
