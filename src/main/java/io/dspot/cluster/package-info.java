/**
 * The cluster: how a node joins its peers and finds them.
 *
 * <ul>
 *   <li>{@link io.dspot.cluster.ClusterBootstrap} builds the clustered Vert.x (Hazelcast from the
 *       node config).
 *   <li>{@link io.dspot.cluster.ClusterVerticle}, the front door, publishes this node's endpoints
 *       in the service registry, sweeps the records of departed members and serves the
 *       {@link io.dspot.cluster.MembershipView} on {@link io.dspot.cluster.ClusterAddresses}.
 *   <li>{@link io.dspot.web.InternalHttpVerticle} is the internal peer API (internal address
 *       only); {@link io.dspot.cluster.PeerClient} calls it on other nodes, one circuit breaker
 *       per peer.
 * </ul>
 */
package io.dspot.cluster;
