/**
 * Identity addresses: native {@code loom://} identities and {@code bridge://} identities bridged from email.
 */
package org.loom.protocol.address;
