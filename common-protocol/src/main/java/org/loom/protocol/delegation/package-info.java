/**
 * Delegation chains (spec §13): signed links by which an identity lets an agent act for it within a scope, and the
 * verification of the chain an agent envelope carries.
 *
 * <p>Links are checked over exactly the bytes their delegator signed; scope rules follow the spec's MUSTs (strict
 * narrowing at every hop, {@code *} only at the root, depth limits). Storage stays outside: identities, keys and
 * revocations are reached through {@link org.loom.protocol.delegation.DelegationDirectory}.
 */
package org.loom.protocol.delegation;
