/**
 * The cluster: how a node joins its peers and finds them.
 *
 * <ul>
 *   <li>{@link io.dspot.cluster.ClusterBootstrap} builds the clustered Vert.x (Hazelcast from the
 *       node config), or a plain one for a cluster of one, and its
 *       {@link io.dspot.cluster.Membership}: the members Vert.x counts (Hazelcast's, or this node
 *       alone), the only place besides the bootstrap that talks to Hazelcast.
 *   <li>{@link io.dspot.cluster.ClusterVerticle}, the front door, publishes this node's endpoints
 *       in the service registry, sweeps the records of departed members and serves the
 *       {@link io.dspot.cluster.MembershipView} on {@link io.dspot.cluster.ClusterAddresses}.
 *   <li>{@link io.dspot.cluster.LiveNodes} is the one membership source: the members the ring
 *       counts, and the ones configured for another cluster.
 *   <li>{@link io.dspot.cluster.PeerClient} calls other nodes' internal peer API (served by
 *       {@code web.InternalHttpVerticle}), one circuit breaker per peer.
 *   <li>{@link io.dspot.cluster.RelayClient} reads byte ranges of peers' blobs for a relayed
 *       stream: one per event loop, one try per holder, a short header deadline, the same breakers.
 * </ul>
 */
package io.dspot.cluster;
